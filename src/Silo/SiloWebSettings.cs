using System.Net;

namespace Pipeline.Silo;

/// <summary>
/// The silo's HTTP side, from configuration section <c>Pipeline</c>:
/// <c>Pipeline:Http:Host/Port</c> serve /health/* and /metrics (all interfaces, port 8080: probes and
/// Prometheus come from outside the pod); <c>Pipeline:Dashboard:Enabled/Host/Port/Token/HideTrace</c> serve
/// /dashboard on a listener of its own, loopback-only by default because the dashboard shows topology,
/// grain state and logs; <c>Pipeline:ShutdownTimeout</c> bounds a graceful stop.
/// </summary>
public sealed record SiloWebSettings(
    IPEndPoint Http,
    bool DashboardEnabled,
    IPEndPoint Dashboard,
    string? DashboardToken,
    bool HideTrace,
    TimeSpan ShutdownTimeout)
{
    public static SiloWebSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Pipeline");
        var settings = new SiloWebSettings(
            Endpoint(section.GetSection("Http"), "0.0.0.0", 8080),
            section.GetValue("Dashboard:Enabled", true),
            Endpoint(section.GetSection("Dashboard"), "127.0.0.1", 8888),
            section["Dashboard:Token"] is { Length: > 0 } token ? token : null,
            section.GetValue("Dashboard:HideTrace", true),
            section.GetValue("ShutdownTimeout", TimeSpan.FromMinutes(2)));
        // The dashboard shows cluster topology, grain state and logs: off loopback it needs a token, or the silo refuses
        // to start (a warning in a log is read after the fact).
        if (settings.DashboardEnabled && settings.DashboardToken is null && !IPAddress.IsLoopback(settings.Dashboard.Address))
            throw new InvalidOperationException(
                $"Pipeline:Dashboard:Host is {settings.Dashboard.Address}, not a loopback address, and Pipeline:Dashboard:Token is not set: " +
                "set a token, bind the dashboard to 127.0.0.1, or set Pipeline:Dashboard:Enabled=false");
        // The two listeners are told apart by the connection they accept, so they cannot share a port.
        if (settings.DashboardEnabled && settings.Http.Port == settings.Dashboard.Port && settings.Http.Port != 0)
            throw new InvalidOperationException($"Pipeline:Http:Port and Pipeline:Dashboard:Port must differ (both {settings.Http.Port})");
        return settings;
    }

    static IPEndPoint Endpoint(IConfigurationSection section, string defaultHost, int defaultPort)
    {
        var host = section["Host"] is { Length: > 0 } configured ? configured : defaultHost;
        if (!IPAddress.TryParse(host, out var address))
            throw new InvalidOperationException($"{section.Path}:Host must be an IP address, got '{host}'");
        return new IPEndPoint(address, section.GetValue("Port", defaultPort));
    }
}
