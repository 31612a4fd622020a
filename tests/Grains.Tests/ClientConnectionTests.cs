using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Grains.Messages;
using Pipeline.Grains.Workers;
using Pipeline.Hosting;

namespace Pipeline.Grains.Tests;

[Collection(SiloHostCollection.Name)]
public sealed class ClientConnectionTests(SiloHostFixture silo)
{
    [Fact]
    public async Task A_client_configured_by_the_same_keys_reaches_the_silo_through_its_gateway()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = silo.ClusterId,
            ["Orleans:Endpoints:GatewayPort"] = silo.GatewayPort.ToString(),
        });
        builder.UseOrleansClient(client => client.UsePipelineClustering());
        using var host = builder.Build();
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<IClusterClient>().ForTile(3).Upscale(TestTiles.Request("over-tcp", 3, SampleFormat.UInt16));

        Assert.Equal(3, result.TileIndex);
        Assert.Equal(TestTiles.Request("over-tcp", 3).HrWindow, result.Hr.Window);
        await host.StopAsync();
    }
}
