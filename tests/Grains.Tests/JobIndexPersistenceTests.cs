using Pipeline.Grains.Jobs;

namespace Pipeline.Grains.Tests;

/// <summary>Issue 30: the jobs page's index lives in grain storage, so it survives its activation (a silo restart, or
/// the activation collected) instead of starting again empty.</summary>
public sealed class JobIndexPersistenceTests
{
    [Fact]
    public async Task The_jobs_index_survives_its_activation()
    {
        await using var pipeline = await PipelineCluster.StartAsync(silos: 1);
        var index = pipeline.Client.GetGrain<IJobIndexGrain>(JobIndexGrain.Key);
        // The test storage is shared by every cluster of this test process, whose jobs are listed too: look at ours.
        var (a, b, c) = ($"{Guid.NewGuid():N}-a", $"{Guid.NewGuid():N}-b", $"{Guid.NewGuid():N}-c");
        foreach (var id in new[] { a, b, c, a }) await index.Add(id);
        string[] Ours(string[] recent) => [.. recent.Where(id => id == a || id == b || id == c)];
        Assert.Equal([a, c, b], Ours(await index.Recent()));

        await pipeline.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal([a, c, b], Ours(await pipeline.Client.GetGrain<IJobIndexGrain>(JobIndexGrain.Key).Recent()));
    }
}
