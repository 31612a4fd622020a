using Pipeline.Grains.Workers;

namespace Pipeline.Grains.Tests;

[Collection(WorkerClusterCollection.Name)]
public sealed class InferenceConcurrencyTests(WorkerClusterFixture fixture)
{
    [Fact]
    public void Each_silo_bounds_inference_by_its_configuration()
    {
        Assert.Equal(1, fixture.ServiceOn<TileInferenceService>(WorkerClusterFixture.GpuWorker).MaxConcurrency);
        Assert.Equal(2, fixture.ServiceOn<TileInferenceService>(WorkerClusterFixture.CpuWorker).MaxConcurrency);
    }

    [Fact]
    public async Task Concurrent_inferences_on_a_silo_never_exceed_its_bound()
    {
        var probes = WorkerClusterFixture.InferenceBound.Keys.ToDictionary(silo => silo, fixture.ProbeOn);
        foreach (var probe in probes.Values) probe.Reset();

        var client = fixture.Cluster.Client;
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => client.ForTile(i).Contribute(TestTiles.Task("concurrency", i))));

        Assert.All(probes, probe => Assert.InRange(probe.Value.MaxConcurrent, 0, WorkerClusterFixture.InferenceBound[probe.Key]));
        // The load was heavy enough for the bound to matter: the two-slot silo did run two tiles at once.
        Assert.Equal(2, probes[WorkerClusterFixture.CpuWorker].MaxConcurrent);
        Assert.Equal(40, probes.Values.Sum(probe => probe.Calls));
    }
}
