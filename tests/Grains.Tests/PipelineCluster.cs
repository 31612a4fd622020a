using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using Pipeline.Grains.Jobs;
using Pipeline.Hosting;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

/// <summary>
/// Three in-process silos that are all workers and coordinators, running bicubic behind a <see cref="TileGate"/>,
/// with one inference slot each (so a paused gate blocks at most three thread-pool threads), grain state in
/// <see cref="SharedGrainStorage"/>, and quick failure detection so a killed silo is declared dead in seconds.
/// </summary>
sealed class PipelineCluster : IAsyncDisposable
{
    static readonly Dictionary<string, string?> Configuration = new()
    {
        ["Orleans:Metadata:role"] = "worker,coordinator",
        ["Pipeline:Inference:MaxConcurrency"] = "1",
    };

    PipelineCluster(InProcessTestCluster cluster, TileGate gate)
    {
        Cluster = cluster;
        Gate = gate;
    }

    public InProcessTestCluster Cluster { get; }
    public TileGate Gate { get; }
    public IClusterClient Client => Cluster.Client;

    /// <param name="settings">More configuration for every silo (Pipeline:Inputs…).</param>
    public static async Task<PipelineCluster> StartAsync(int silos = 3, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var gate = new TileGate();
        var builder = new InProcessTestClusterBuilder(initialSilosCount: (short)silos);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(Configuration).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPipelineGrains();
            silo.Services.AddSingleton<ITileUpscaler>(new GatedBicubicUpscaler(gate));
            silo.Services.AddKeyedSingleton<IGrainStorage>("Default", (services, _) => new SharedGrainStorage(services.GetRequiredService<Serializer>()));
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        await WorkerClusterFixture.WaitForSiloMetadataAsync(cluster);
        return new PipelineCluster(cluster, gate);
    }

    public ISceneJobGrain Job(string jobId) => Client.Job(jobId);

    /// <summary>Polls until the job is final (riding out the moments a killed silo makes calls fail).</summary>
    public async Task<SceneJobStatus> WaitForEndAsync(string jobId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                var status = await Job(jobId).GetStatus();
                if (status.State.IsFinal()) return status;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {jobId} did not finish in time");
            await Task.Delay(100);
        }
    }

    public async Task<SceneJobStatus> WaitUntilAsync(string jobId, Func<SceneJobStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var status = await Job(jobId).GetStatus();
            if (condition(status)) return status;
            if (status.State.IsFinal() || DateTime.UtcNow > deadline)
                throw new TimeoutException($"job {jobId} never reached the expected point: {status}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Gate.Open();
        await Cluster.DisposeAsync();
    }
}
