using Pipeline.Imaging.Access;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Pipeline.Grains.Jobs;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Hosting;

/// <summary>
/// Where the CLI's jobs run: an embedded single silo in this process (worker and coordinator, memory storage,
/// localhost clustering on free ports so it never meets a developer's local cluster), or a client of a cluster
/// found through the same <c>Orleans:*</c> keys the silos use (a JSON file and/or <c>Orleans__*</c> environment
/// variables; without clustering keys, a localhost gateway on port 30000).
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    readonly IHost host;

    ClusterConnection(IHost host)
    {
        this.host = host;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; }

    /// <param name="maxConcurrency">Tiles the embedded silo runs at once (1 for a torch model, which parallelises inside each op).</param>
    public static async Task<ClusterConnection> EmbeddedAsync(ITileUpscaler upscaler, int maxConcurrency, CancellationToken cancellation)
    {
        var builder = Quiet(Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings()));
        var clusterId = $"sr-embedded-{Guid.NewGuid():N}";
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:ServiceId"] = clusterId,
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:Endpoints:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:Endpoints:GatewayPort"] = FreePort.Next().ToString(),
            ["Orleans:Metadata:role"] = "worker,coordinator",
            ["Pipeline:Inference:MaxConcurrency"] = maxConcurrency.ToString(),
        });
        builder.UseOrleans(silo =>
        {
            // Before the pipeline's services: the silo then takes this model instead of checking its configured one.
            silo.Services.AddSingleton(upscaler);
            silo.ConfigurePipelineSilo();
            // The CLI's own silo reads for the user who runs it, wherever that user's network reaches.
            silo.Services.AddSingleton(InputPolicy.Unrestricted);
            silo.Services.AddSingleton(OutputPolicy.Anywhere);
        });
        var host = builder.Build();
        await host.StartAsync(cancellation);
        await WaitForOwnMetadataAsync(host.Services, cancellation);
        return new ClusterConnection(host);
    }

    /// <param name="cluster">The <c>--cluster</c> value: a settings file (JSON, the silos' <c>Orleans:*</c> keys), or a Redis
    /// connection string the silos cluster on (<c>redis:6379</c>, as the Kubernetes batch Job passes it); null: the
    /// environment alone, else a localhost gateway.</param>
    /// <exception cref="ClusterUnreachableException">No gateway answered.</exception>
    public static async Task<ClusterConnection> ConnectAsync(string? cluster, CancellationToken cancellation)
    {
        var builder = Quiet(Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings()));
        if (cluster is null) { }
        else if (IsSettingsFile(cluster)) builder.Configuration.AddJsonFile(Path.GetFullPath(cluster), optional: false);
        else builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:Clustering:ProviderType"] = "Redis",
            ["Orleans:Clustering:ConnectionString"] = cluster,
        });
        builder.Configuration.AddEnvironmentVariables();
        builder.UseOrleansClient(client => client.UsePipelineClustering().UsePipelineTls());
        var host = builder.Build();
        // The client retries its gateways for as long as it is let; a script wants a clear "unreachable" instead.
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var connectPatience = RetryPolicy.Default.ConnectPatience;
        patience.CancelAfter(connectPatience);
        try
        {
            await host.StartAsync(patience.Token);
        }
        catch (Exception e) when (RetryPolicy.IsTransient(e, cancellation))
        {
            host.Dispose();
            throw new ClusterUnreachableException(e is OperationCanceledException ? $"no gateway answered within {connectPatience.TotalSeconds:F0} s" : e.Message, e);
        }
        return new ClusterConnection(host);
    }

    /// <summary>A file that exists, or a name ending in .json (so that a mistyped file is "not found", not a Redis host).</summary>
    static bool IsSettingsFile(string cluster) =>
        File.Exists(cluster) || cluster.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    public async ValueTask DisposeAsync()
    {
        // A job cancelled mid-tile leaves the model running on a worker thread that nothing can interrupt; a graceful
        // stop of the embedded silo would wait for it (minutes on a busy CPU). Its state dies with the process anyway.
        using var grace = new CancellationTokenSource(StopGrace);
        await host.StopAsync(grace.Token);
        host.Dispose();
    }

    /// <summary>Orleans logs at Information to the console by default; the CLI's output is its progress and summary. The
    /// command owns Ctrl-C and SIGTERM (it cancels the job, then disposes this connection): a host listening to them
    /// too would start stopping the silo under the job it is cancelling.</summary>
    static HostApplicationBuilder Quiet(HostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, CommandOwnedLifetime>();
        return builder;
    }

    /// <summary>A host lifetime that ignores process signals: start and stop come from the command alone.</summary>
    sealed class CommandOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Workers are placed by silo metadata, which the silo learns about itself shortly after starting.</summary>
    static async Task WaitForOwnMetadataAsync(IServiceProvider services, CancellationToken cancellation)
    {
        var self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var metadata = services.GetRequiredService<ISiloMetadataCache>();
        while (metadata.GetSiloMetadata(self).Metadata.Count == 0) await Task.Delay(20, cancellation);
    }
}
