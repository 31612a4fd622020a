using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

        var outcome = await host.Services.GetRequiredService<IClusterClient>().ForTile(3).Contribute(TestTiles.Task("over-tcp", 3));

        // The tile went through a worker to its stitchers, which found that this job has no output file.
        Assert.Equal(3, outcome.TileIndex);
        Assert.True(outcome.WriterLost);
        await host.StopAsync();
    }
}
