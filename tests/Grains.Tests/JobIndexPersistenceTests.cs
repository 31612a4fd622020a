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
        foreach (var id in new[] { "a", "b", "c", "a" }) await index.Add(id);
        Assert.Equal(["a", "c", "b"], await index.Recent());

        await pipeline.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(["a", "c", "b"], await pipeline.Client.GetGrain<IJobIndexGrain>(JobIndexGrain.Key).Recent());
    }
}
