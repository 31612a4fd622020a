using Pipeline.Grains.Jobs;

namespace Pipeline.Grains.Tests;

static class JobAssertions
{
    /// <summary>The job succeeded with every tile and block accounted for and each TIFF tile written exactly once.</summary>
    public static void Completed(SceneJobStatus status)
    {
        Assert.True(status.State == JobState.Succeeded, $"job {status.JobId} ended {status.State}: {status.Error}");
        Assert.Equal(status.TilesTotal, status.TilesDone);
        Assert.Equal(status.BlocksTotal, status.BlocksWritten);
        Assert.NotNull(status.Writer);
        Assert.Equal(status.Writer.TileCount, status.Writer.TileWrites);
    }
}
