using Pipeline.Grains.Jobs;

namespace Pipeline.Grains.Tests;

/// <summary>Crash tests build their own cluster: they kill one of its silos.</summary>
public sealed class SiloLossTests : IDisposable
{
    readonly SceneFiles files = new();

    [Fact]
    public async Task A_job_survives_the_loss_of_the_silo_running_it()
    {
        await using var pipeline = await PipelineCluster.StartAsync();
        var output = files.File("survivor-x2.tif");
        var id = $"job-{Guid.NewGuid():N}";
        pipeline.Gate.PauseAfter(14);

        await pipeline.Job(id).Submit(new SceneJobSpec(SceneFiles.Landsat8Rgbnir, output, 2, "bicubic"));
        await pipeline.WaitUntilAsync(id, status => status.TilesDone >= 8 && pipeline.Gate.Blocked > 0);
        var management = pipeline.Client.GetGrain<IManagementGrain>(0);
        var jobSilo = await management.GetActivationAddress(pipeline.Job(id));
        // Kill while tiles are held in the model; the gate opens once the kill is under way (a kill waits for the
        // silo's threads, so it cannot finish while one is parked in the gate).
        var kill = pipeline.Cluster.KillSiloAsync(pipeline.Cluster.Silos.Single(silo => silo.SiloAddress.Equals(jobSilo)));
        pipeline.Gate.Open();
        await kill;
        var status = await pipeline.WaitForEndAsync(id, TimeSpan.FromSeconds(90));

        JobAssertions.Completed(status);
        TiffContent.AssertSame(SceneFiles.Reference(SceneFiles.Landsat8Rgbnir, 2), output);
        Assert.Empty(files.Leftovers());
    }

    public void Dispose() => files.Dispose();
}
