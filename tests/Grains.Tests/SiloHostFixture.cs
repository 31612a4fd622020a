using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Pipeline.Silo;

namespace Pipeline.Grains.Tests;

/// <summary>A real silo host (localhost clustering, a worker) with real Kestrel listeners on free loopback ports,
/// the dashboard behind <see cref="Token"/>.</summary>
public sealed class SiloHostFixture : IAsyncLifetime
{
    public const string Token = "test-token";

    public int HttpPort { get; } = FreeTcpPort.Next();
    public int DashboardPort { get; } = FreeTcpPort.Next();
    public WebApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = $"web-test-{Guid.NewGuid():N}",
            ["Orleans:Endpoints:SiloPort"] = FreeTcpPort.Next().ToString(),
            ["Orleans:Endpoints:GatewayPort"] = FreeTcpPort.Next().ToString(),
            ["Orleans:Metadata:role"] = "worker",
            ["Pipeline:Http:Host"] = "127.0.0.1",
            ["Pipeline:Http:Port"] = HttpPort.ToString(),
            ["Pipeline:Dashboard:Port"] = DashboardPort.ToString(),
            ["Pipeline:Dashboard:Token"] = Token,
            ["Pipeline:ShutdownTimeout"] = "00:00:10",
        };
        App = PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([], builder => builder.Configuration.AddInMemoryCollection(settings)));
        await App.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
