using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Pipeline.Grains.Jobs;
using Pipeline.Hosting;

namespace Pipeline.Grains.Tests;

/// <summary>Jobs, stitchers and writers go to coordinator silos when the cluster has any (any silo otherwise); tile
/// workers only ever to worker silos.</summary>
public sealed class CoordinatorPlacementTests(CoordinatorClusterFixture fixture) : IClassFixture<CoordinatorClusterFixture>, IDisposable
{
    readonly SceneFiles files = new();

    [Fact]
    public async Task A_job_keeps_its_job_stitchers_and_writer_on_the_coordinator_and_its_tiles_on_the_workers()
    {
        var id = $"job-{Guid.NewGuid():N}";
        var output = files.File("placed-x2.tif");
        fixture.Gate.SlowDown(TimeSpan.FromMilliseconds(20));
        var seen = new GrainPlacements(fixture.Cluster.Client);
        try
        {
            await fixture.Cluster.Client.Job(id).Submit(new SceneJobSpec(SharedScenes.LandsatRgbnir, output, 2, "bicubic"));
            SceneJobStatus status;
            while (!(status = await fixture.Cluster.Client.Job(id).GetStatus()).State.IsFinal()) await seen.SampleAsync();

            JobAssertions.Completed(status);
        }
        finally
        {
            fixture.Gate.SlowDown(TimeSpan.Zero);
        }

        SiloAddress[] coordinator = [fixture.AddressOf(CoordinatorClusterFixture.Coordinator)];
        var workers = CoordinatorClusterFixture.Workers.Select(fixture.AddressOf).ToArray();
        Assert.Equal(coordinator, seen.SilosOf("scenejob"));
        Assert.Equal(coordinator, seen.SilosOf("scenewriter"));
        Assert.Equal(coordinator, seen.SilosOf("blockstitch"));
        Assert.NotEmpty(seen.SilosOf("tileworker"));
        Assert.Subset(workers.ToHashSet(), seen.SilosOf("tileworker").ToHashSet());
        TiffContent.AssertSame(SceneFiles.Reference(SharedScenes.LandsatRgbnir, 2), output);
    }

    [Fact]
    public async Task Grains_placed_from_a_worker_silo_land_on_the_coordinator()
    {
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var coordinator = fixture.AddressOf(CoordinatorClusterFixture.Coordinator);
        foreach (var worker in CoordinatorClusterFixture.Workers)
        {
            var grains = fixture.GrainsOn(worker);
            for (var i = 0; i < 8; i++)
            {
                var key = $"from-{worker}-{i}-{Guid.NewGuid():N}";
                await grains.Stitcher(key, 1, 0).GetProgress();
                await grains.Job(key).GetStatus();

                Assert.Equal(coordinator, await management.GetActivationAddress(grains.Stitcher(key, 1, 0)));
                Assert.Equal(coordinator, await management.GetActivationAddress(grains.Job(key)));
            }
        }
    }

    [Fact]
    public async Task Without_coordinator_silos_a_job_runs_on_the_worker_silos()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Orleans:Metadata:role"] = "worker", ["Pipeline:Model:Name"] = "bicubic" }));
        builder.ConfigureSilo((_, silo) => silo.AddPipelineGrains());
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        await WorkerClusterFixture.WaitForSiloMetadataAsync(cluster);
        var id = $"job-{Guid.NewGuid():N}";

        await cluster.Client.Job(id).Submit(new SceneJobSpec(SharedScenes.LandsatRgbnir, files.File("workers-only-x2.tif"), 2, "bicubic"));
        SceneJobStatus status;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(status = await cluster.Client.Job(id).GetStatus()).State.IsFinal() && DateTime.UtcNow < deadline) await Task.Delay(50);

        JobAssertions.Completed(status);
    }

    public void Dispose() => files.Dispose();
}
