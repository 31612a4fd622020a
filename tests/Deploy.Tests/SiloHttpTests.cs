using System.Net;
using Microsoft.AspNetCore.Routing;
using Pipeline.Silo;

namespace Pipeline.Deploy.Tests;

/// <summary>Probes, dashboard and graceful stop of the silo pods against the silo host's own settings
/// (<see cref="SiloWebSettings"/> from appsettings.json plus the pod's environment) and the routes it maps.</summary>
public sealed class SiloHttpTests
{
    public static TheoryData<string> OverlayNames => Overlays.All();

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Probes_hit_the_health_endpoints_the_silo_maps_on_its_http_port(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        foreach (var silo in manifest.Silos())
        {
            await using var app = SiloHost.Build(manifest, silo);
            var settings = SiloWebSettings.From(app.Configuration);
            var routes = Routes(app);

            foreach (var (probe, path) in new[] { ("startupProbe", "/health/live"), ("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live") })
            {
                var get = silo.Container[probe]?["httpGet"] ?? throw new Xunit.Sdk.XunitException($"{silo}: no {probe} over HTTP");
                Assert.Equal(path, (string)get["path"]!);
                Assert.Contains(path, routes);
                Assert.Equal(settings.Http.Port, silo.Container.PortNumber((string)get["port"]!));
            }
        }
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Prometheus_annotations_point_at_the_metrics_the_silo_serves(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        foreach (var silo in manifest.Silos())
        {
            await using var app = SiloHost.Build(manifest, silo);
            var routes = Routes(app);
            var annotations = silo.Template["metadata"]!["annotations"].Map();

            Assert.Equal("true", annotations["prometheus.io/scrape"]);
            Assert.Contains(annotations["prometheus.io/path"], routes);
            Assert.Equal(SiloWebSettings.From(app.Configuration).Http.Port, int.Parse(annotations["prometheus.io/port"]));
        }
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Termination_grace_outlasts_the_silos_shutdown_timeout(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        foreach (var silo in manifest.Silos())
        {
            await using var app = SiloHost.Build(manifest, silo);
            var grace = int.Parse((string)silo.Pod["terminationGracePeriodSeconds"]!);
            Assert.True(grace > SiloWebSettings.From(app.Configuration).ShutdownTimeout.TotalSeconds, $"{silo}: {grace} s");
        }
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task The_dashboard_service_reaches_only_dashboards_behind_a_token_from_a_secret(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var service = manifest.Get("Service", "dashboard");
        Assert.Equal("ClusterIP", (string?)service["spec"]!["type"] ?? "ClusterIP");
        var selector = service["spec"]!["selector"].Map();
        var targetPort = (string)service["spec"]!["ports"].Items().Single()["targetPort"]!;

        var selected = manifest.Silos().Where(s => selector.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).ToList();
        Assert.NotEmpty(selected);
        foreach (var silo in manifest.Silos())
        {
            await using var app = SiloHost.Build(manifest, silo);
            var settings = SiloWebSettings.From(app.Configuration);
            if (selected.Contains(silo))
            {
                Assert.True(settings.DashboardEnabled, $"{silo}: dashboard off");
                Assert.Equal(settings.Dashboard.Port, silo.Container.PortNumber(targetPort));
            }
            if (settings.DashboardEnabled && !IPAddress.IsLoopback(settings.Dashboard.Address))
            {
                Assert.IsType<SecretKeyRef>(manifest.Env(silo.Container)["Pipeline__Dashboard__Token"]);
                Assert.Equal(SiloHost.SecretValue, settings.DashboardToken);
            }
        }
    }

    /// <summary>The route patterns the silo host maps.</summary>
    static HashSet<string?> Routes(IEndpointRouteBuilder app) =>
        app.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText).ToHashSet();
}
