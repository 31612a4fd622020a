using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.Silo;

/// <summary>
/// Health from the silo's own membership status. Live: the process has not been declared dead by the cluster
/// (a dead silo never comes back; restart it). Ready: the silo is Active, so it accepts grains and client calls;
/// while joining or shutting down it is live but not ready.
/// </summary>
public sealed class SiloStatusHealthCheck(ISiloStatusOracle siloStatus, bool requireActive) : IHealthCheck
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = siloStatus.CurrentStatus;
        var healthy = requireActive ? status == SiloStatus.Active : status != SiloStatus.Dead;
        var description = $"silo {siloStatus.SiloName} is {status}";
        return Task.FromResult(healthy ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description));
    }
}
