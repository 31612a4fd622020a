using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;
using Pipeline.Hosting;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

/// <summary>
/// Three in-process silos configured through the real configuration keys: a coordinator-only silo, a GPU worker
/// (one inference at a time, derived from gpu.count) and a silo that is both coordinator and CPU worker (two at a time).
/// Every silo runs <see cref="ConcurrencyProbeUpscaler"/> in place of the default model. Only the coordinator is a
/// gateway: a stateless worker runs on the silo that places it when it can, so a client entering through a worker
/// silo would never exercise the filter.
/// </summary>
public sealed class WorkerClusterFixture : IAsyncLifetime
{
    public const string Coordinator = "Silo_0";
    public const string GpuWorker = "Silo_1";
    public const string CpuWorker = "Silo_2";

    public static readonly IReadOnlyDictionary<string, int> InferenceBound = new Dictionary<string, int>
    {
        [GpuWorker] = 1,
        [CpuWorker] = 2,
    };

    static readonly Dictionary<string, Dictionary<string, string?>> Configuration = new()
    {
        [Coordinator] = new() { ["Orleans:Metadata:role"] = "coordinator" },
        [GpuWorker] = new() { ["Orleans:Metadata:role"] = "worker", ["Orleans:Metadata:gpu.count"] = "1" },
        [CpuWorker] = new() { ["Orleans:Metadata:role"] = "coordinator, Worker", ["Pipeline:Inference:MaxConcurrency"] = "2" },
    };

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 3);
        builder.Options.GatewayPerSilo = false;
        builder.ConfigureSiloHost((options, host) => host.Configuration.AddInMemoryCollection(Configuration[options.SiloName]));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPipelineGrains();
            silo.Services.AddSingleton<ITileUpscaler, ConcurrencyProbeUpscaler>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await WaitForSiloMetadataAsync(Cluster);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public SiloAddress AddressOf(string siloName) => Cluster.Silos.Single(silo => silo.Name == siloName).SiloAddress;

    public T ServiceOn<T>(string siloName) where T : notnull =>
        Cluster.GetSiloServiceProvider(AddressOf(siloName)).GetRequiredService<T>();

    public ConcurrencyProbeUpscaler ProbeOn(string siloName) => (ConcurrencyProbeUpscaler)ServiceOn<ITileUpscaler>(siloName);

    /// <summary>Silos learn each other's metadata asynchronously after joining; placement before that would see
    /// no worker. Waits until every silo knows every silo's metadata.</summary>
    public static async Task WaitForSiloMetadataAsync(InProcessTestCluster cluster)
    {
        var silos = cluster.Silos.Select(silo => silo.SiloAddress).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!silos.All(observer =>
                   silos.All(observed => cluster.GetSiloServiceProvider(observer).GetRequiredService<ISiloMetadataCache>()
                       .GetSiloMetadata(observed).Metadata.Count > 0)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("silo metadata did not propagate");
            await Task.Delay(50);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WorkerClusterCollection : ICollectionFixture<WorkerClusterFixture>
{
    public const string Name = "worker cluster";
}
