using Microsoft.Extensions.Hosting;
using Pipeline.Grains.Telemetry;

namespace Pipeline.Hosting;

/// <summary>Creates the silo's instruments when it starts and records their zeros, so /metrics lists them before the
/// first job instead of only after one (an alert on a missing series cannot tell "idle" from "broken").</summary>
sealed class MetricsAtStart(TileMetrics tiles, JobMetrics jobs, SceneMetrics scenes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        tiles.Zero();
        jobs.Zero();
        scenes.Zero();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
