using System.Net;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using Pipeline.Grains.Telemetry;
using Pipeline.Hosting;

namespace Pipeline.Silo;

/// <summary>
/// Composes the silo process: an Orleans silo configured by <see cref="PipelineSiloConfiguration"/>, the Orleans
/// dashboard, health endpoints and a Prometheus scrape endpoint, all on one generic host that stops gracefully.
/// Configuration: appsettings.json, then environment variables, then the command line (later wins).
/// </summary>
public static class PipelineSiloApp
{
    const string OrleansMeterName = "Microsoft.Orleans";

    /// <summary>The composed host builder: everything registered, nothing built yet.</summary>
    /// <param name="args">Command-line arguments, e.g. <c>--Orleans:Metadata:role=worker</c>.</param>
    /// <param name="configure">Lets tests add configuration or services before the host is composed.</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json (roles, ports, log levels) is read from next to the application, whatever the working
        // directory: a silo started from elsewhere must not lose its defaults (it would have no worker role).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var settings = SiloWebSettings.From(builder.Configuration);

        builder.UseOrleans(silo =>
        {
            silo.ConfigurePipelineSilo();
            // On every silo, enabled or not here: the dashboard collects its figures from each silo.
            silo.AddDashboard(options => options.HideTrace = settings.HideTrace);
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = settings.ShutdownTimeout);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(settings.Http);
            if (settings.DashboardEnabled) kestrel.Listen(settings.Dashboard, listen => listen.TagAsDashboardListener());
        });

        builder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration("silo-live",
                services => new SiloStatusHealthCheck(services.GetRequiredService<ISiloStatusOracle>(), requireActive: false),
                failureStatus: null, tags: [SiloStatusHealthCheck.LiveTag]))
            .Add(new HealthCheckRegistration("silo-ready",
                services => new SiloStatusHealthCheck(services.GetRequiredService<ISiloStatusOracle>(), requireActive: true),
                failureStatus: null, tags: [SiloStatusHealthCheck.ReadyTag]));

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(TileMetrics.MeterName, SceneMetrics.MeterName, OrleansMeterName)
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Builds the host and maps its endpoints.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var settings = SiloWebSettings.From(builder.Configuration);
        var app = builder.Build();
        app.UseDashboardAccess(settings.DashboardEnabled ? settings.DashboardToken : null);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(SiloStatusHealthCheck.LiveTag) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(SiloStatusHealthCheck.ReadyTag) });
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (settings.DashboardEnabled)
        {
            app.MapOrleansDashboard(routePrefix: DashboardAccess.RoutePrefix);
            app.MapJobsPage();
        }
        return app;
    }
}
