using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Pipeline.Grains.Placement;
using Pipeline.Grains.Workers;
using Pipeline.Hosting;

namespace Pipeline.Grains.Tests;

[Collection(WorkerClusterCollection.Name)]
public sealed class WorkerPlacementTests(WorkerClusterFixture fixture)
{
    const int Tiles = 24;

    [Fact]
    public async Task Tiles_sent_from_the_client_run_only_on_worker_silos()
    {
        var client = fixture.Cluster.Client;
        var results = await Task.WhenAll(Enumerable.Range(0, Tiles).Select(i => client.ForTile(i).Contribute(TestTiles.Task("from-client", i))));

        Assert.All(results, result => Assert.Contains(result.ExecutedOn, WorkerSilos()));
    }

    [Fact]
    public async Task Tiles_sent_from_a_coordinator_silo_run_only_on_worker_silos()
    {
        // A stateless worker normally runs on the silo that calls it; the filter must override that.
        var grainFactory = fixture.ServiceOn<IGrainFactory>(WorkerClusterFixture.Coordinator);
        var results = await Task.WhenAll(Enumerable.Range(0, Tiles).Select(i => grainFactory.ForTile(i).Contribute(TestTiles.Task("from-coordinator", i))));

        Assert.All(results, result => Assert.Contains(result.ExecutedOn, WorkerSilos()));
    }

    [Fact]
    public async Task Tiles_sent_from_a_silo_that_is_itself_a_worker_spread_over_every_worker_silo_by_lane()
    {
        // Without the lane spread a stateless worker runs on its caller whenever the caller may host it, so a job on a
        // coordinator-and-worker silo would run every tile there.
        var grainFactory = fixture.ServiceOn<IGrainFactory>(WorkerClusterFixture.CpuWorker);
        var first = await Task.WhenAll(Enumerable.Range(0, Tiles).Select(i => grainFactory.ForTile(i).Contribute(TestTiles.Task("spread", i))));
        var again = await Task.WhenAll(Enumerable.Range(0, Tiles).Select(i => grainFactory.ForTile(i).Contribute(TestTiles.Task("spread-again", i))));

        Assert.Equal(WorkerSilos().ToHashSet(), first.Select(result => result.ExecutedOn).ToHashSet());
        Assert.Equal(first.Select(result => result.ExecutedOn), again.Select(result => result.ExecutedOn));
    }

    [Fact]
    public async Task A_cluster_without_worker_silos_refuses_tiles_with_a_specific_error()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Orleans:Metadata:role"] = "coordinator", ["Pipeline:Model:Name"] = "bicubic" }));
        builder.ConfigureSilo((_, silo) => silo.AddPipelineGrains());
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        await WorkerClusterFixture.WaitForSiloMetadataAsync(cluster);

        await Assert.ThrowsAsync<NoWorkerSiloException>(() => cluster.Client.ForTile(0).Contribute(TestTiles.Task("no-workers", 0)));
    }

    SiloAddress[] WorkerSilos() =>
        [fixture.AddressOf(WorkerClusterFixture.GpuWorker), fixture.AddressOf(WorkerClusterFixture.CpuWorker)];
}
