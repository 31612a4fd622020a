using System.Globalization;
using System.Text.Json;

namespace Pipeline.Bench;

/// <summary>
/// A cluster of real silo processes on loopback and a client of it. No membership store is needed: the silos use
/// Orleans' development clustering (the first silo holds the membership table, the others find it at its silo
/// endpoint) and the client a static list of their gateways, all set through the silo host's ordinary
/// configuration keys. Every silo is worker and coordinator, with the default inference bound (one model call per
/// core) and the bicubic model the silo host runs by default.
/// </summary>
sealed class LocalCluster : IAsyncDisposable
{
    readonly List<SiloProcess> silos;
    readonly ClusterConnection connection;

    LocalCluster(List<SiloProcess> silos, ClusterConnection connection)
    {
        this.silos = silos;
        this.connection = connection;
    }

    public IReadOnlyList<SiloProcess> Silos => silos;
    public IGrainFactory Grains => connection.Grains;

    /// <param name="siloHost">pipeline-silo.dll</param>
    /// <param name="model">The model every silo loads (<c>Pipeline:Model:Name</c>).</param>
    /// <param name="folder">Where the silo logs and the client's settings file go.</param>
    public static async Task<LocalCluster> StartAsync(string siloHost, int count, string model, string folder, CancellationToken cancellation)
    {
        var clusterId = $"sr-bench-{Guid.NewGuid():N}";
        var siloPorts = Enumerable.Range(0, count).Select(_ => FreePort.Next()).ToArray();
        var gatewayPorts = Enumerable.Range(0, count).Select(_ => FreePort.Next()).ToArray();
        var silos = new List<SiloProcess>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var httpPort = FreePort.Next();
                var settings = SiloProcess.LoopbackSettings($"silo-{i}", httpPort, model, siloPorts[i], gatewayPorts[i]);
                settings["Orleans:ServiceId"] = clusterId;
                settings["Orleans:ClusterId"] = clusterId;
                settings["Orleans:Clustering:ProviderType"] = "Development";
                settings["Orleans:Clustering:PrimarySiloEndPoint"] = $"127.0.0.1:{siloPorts[0]}";
                // The primary holds the membership table: the others join once it is up.
                var silo = SiloProcess.Start(siloHost, $"silo-{i}", settings, httpPort, Path.Combine(folder, $"silo-{i}.log"));
                silos.Add(silo);
                await silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
            }
            var clientSettings = Path.Combine(folder, "cluster.json");
            await File.WriteAllTextAsync(clientSettings, JsonSerializer.Serialize(new
            {
                Orleans = new
                {
                    ServiceId = clusterId,
                    ClusterId = clusterId,
                    Clustering = new { ProviderType = "Development", Gateways = gatewayPorts.Select(port => $"127.0.0.1:{port}").ToArray() },
                },
            }), cancellation);
            var connection = await ClusterConnection.ConnectAsync(clientSettings, cancellation);
            var cluster = new LocalCluster(silos, connection);
            await cluster.WaitForMembersAsync(count, cancellation);
            return cluster;
        }
        catch
        {
            foreach (var silo in silos) silo.Dispose();
            throw;
        }
    }

    /// <summary>Every silo active in the membership (a job placed earlier would see fewer workers).</summary>
    async Task WaitForMembersAsync(int count, CancellationToken cancellation)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await management.GetHosts(onlyActive: true)).Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{count} silos did not all join within a minute; see the logs in {Path.GetDirectoryName(silos[0].LogPath)}");
            await Task.Delay(200, cancellation);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await connection.DisposeAsync();
        }
        finally
        {
            // Secondaries first: the primary holds the membership table they report to while stopping.
            for (var i = silos.Count - 1; i >= 0; i--) silos[i].Dispose();
        }
    }
}
