using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Pipeline.Hosting;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

/// <summary>
/// One coordinator-only silo and two worker-only silos, configured through the real <c>Orleans:Metadata:role</c> key,
/// every silo a gateway (so client calls also enter through workers), bicubic behind a <see cref="TileGate"/> so a
/// test can make a job last long enough to watch where its grains live.
/// </summary>
public sealed class CoordinatorClusterFixture : IAsyncLifetime
{
    public const string Coordinator = "Silo_0";
    public static readonly string[] Workers = ["Silo_1", "Silo_2"];

    internal TileGate Gate { get; } = new();
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 3);
        builder.ConfigureSiloHost((options, host) => host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:Metadata:role"] = options.SiloName == Coordinator ? "coordinator" : "worker",
            ["Pipeline:Inference:MaxConcurrency"] = "1",
        }));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPipelineGrains();
            silo.Services.AddSingleton<ITileUpscaler>(new GatedBicubicUpscaler(Gate));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await WorkerClusterFixture.WaitForSiloMetadataAsync(Cluster);
    }

    public async Task DisposeAsync()
    {
        Gate.Open();
        await Cluster.DisposeAsync();
    }

    public SiloAddress AddressOf(string siloName) => Cluster.Silos.Single(silo => silo.Name == siloName).SiloAddress;

    public IGrainFactory GrainsOn(string siloName) => Cluster.GetSiloServiceProvider(AddressOf(siloName)).GetRequiredService<IGrainFactory>();
}
