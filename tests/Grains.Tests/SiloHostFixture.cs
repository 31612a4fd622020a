using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Pipeline.Hosting;
using Pipeline.Silo;

namespace Pipeline.Grains.Tests;

/// <summary>A real silo host (localhost clustering, a worker) with real Kestrel listeners on free loopback ports,
/// the dashboard behind <see cref="Token"/>.</summary>
public sealed class SiloHostFixture : IAsyncLifetime
{
    public const string Token = "test-token";

    public int HttpPort { get; } = FreePort.Next();
    public int DashboardPort { get; } = FreePort.Next();
    public int GatewayPort { get; } = FreePort.Next();
    public string ClusterId { get; } = $"web-test-{Guid.NewGuid():N}";
    public WebApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:Endpoints:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:Endpoints:GatewayPort"] = GatewayPort.ToString(),
            ["Orleans:Metadata:role"] = "worker",
            ["Pipeline:Model:Name"] = "bicubic",
            ["Pipeline:Http:Host"] = "127.0.0.1",
            ["Pipeline:Http:Port"] = HttpPort.ToString(),
            ["Pipeline:Dashboard:Port"] = DashboardPort.ToString(),
            ["Pipeline:Dashboard:Token"] = Token,
            ["Pipeline:ShutdownTimeout"] = "00:00:10",
        };
        App = PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([], builder => builder.Configuration.AddInMemoryCollection(settings)));
        await App.StartAsync();
        await WaitForOwnMetadataAsync();
    }

    /// <summary>The silo learns its own metadata (that it is a worker) shortly after starting; until then it
    /// would refuse tiles.</summary>
    async Task WaitForOwnMetadataAsync()
    {
        var self = App.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var cache = App.Services.GetRequiredService<ISiloMetadataCache>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (cache.GetSiloMetadata(self).Metadata.Count == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the silo's metadata did not reach its own cache");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>
/// Runs alone, after the collections that run in parallel: the host's OpenTelemetry provider listens to every meter
/// named <c>Pipeline.Tiles</c> in the process, test clusters' silos included. An instrument it saw first on another
/// test's silo makes this silo's instrument of the same name a duplicate it ignores, and once that other silo is
/// disposed the metric is gone from /metrics. (A real silo process has one silo.)
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloHostCollection : ICollectionFixture<SiloHostFixture>
{
    public const string Name = "silo host";
}
