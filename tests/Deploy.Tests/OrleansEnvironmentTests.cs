using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Pipeline.Deploy.Tests;

/// <summary>The environment Orleans needs on every silo pod: the downward API values Orleans' Kubernetes hosting
/// reads (POD_NAME, POD_NAMESPACE, POD_IP, ORLEANS_SERVICE_ID, ORLEANS_CLUSTER_ID), and the silo's own keys built
/// from them, checked through the silo host's real configuration binding.</summary>
public sealed class OrleansEnvironmentTests
{
    public static TheoryData<string> OverlayNames => Overlays.All();

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Coordinators_and_workers_run_as_separate_deployments(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        Assert.Equal("Deployment", manifest.Silo("coordinator").Object.Kind());
        Assert.Equal("Deployment", manifest.Silo("worker").Object.Kind());
        Assert.Equal(2, manifest.Silos().Count());
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Silo_pods_get_their_name_namespace_and_ip_from_the_downward_api(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        Assert.All(manifest.Silos(), silo =>
        {
            var env = manifest.Env(silo.Container);
            Assert.Equal(new FieldRef("metadata.name"), env["POD_NAME"]);
            Assert.Equal(new FieldRef("metadata.namespace"), env["POD_NAMESPACE"]);
            Assert.Equal(new FieldRef("status.podIP"), env["POD_IP"]);
        });
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Silos_share_one_cluster_identity_in_env_and_pod_labels_and_one_redis(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var silos = manifest.Silos().ToList();

        var identities = silos.Select(silo =>
        {
            var env = manifest.Env(silo.Container);
            var serviceId = Assert.IsType<Literal>(env["ORLEANS_SERVICE_ID"]).Value;
            var clusterId = Assert.IsType<Literal>(env["ORLEANS_CLUSTER_ID"]).Value;
            Assert.Equal(serviceId, silo.Labels["orleans/serviceId"]);
            Assert.Equal(clusterId, silo.Labels["orleans/clusterId"]);
            Assert.Equal(new Literal("Redis"), env["Orleans__Clustering__ProviderType"]);
            Assert.Equal(new Literal("Redis"), env["Orleans__GrainStorage__Default__ProviderType"]);
            Assert.Equal(env["Orleans__Clustering__ConnectionString"], env["Orleans__GrainStorage__Default__ConnectionString"]);
            Assert.Equal(new Literal("Redis"), env["Orleans__Reminders__ProviderType"]);
            Assert.Equal(env["Orleans__Clustering__ConnectionString"], env["Orleans__Reminders__ConnectionString"]);
            return (serviceId, clusterId, Redis: Assert.IsType<Literal>(env["Orleans__Clustering__ConnectionString"]).Value);
        }).Distinct().ToList();

        var (serviceId, clusterId, redis) = Assert.Single(identities);
        Assert.NotEmpty(serviceId);
        Assert.NotEmpty(clusterId);
        var address = redis.Split(',')[0];
        var (host, port) = (address.Split(':')[0], address.Split(':')[1]);
        Assert.Contains(manifest.Get("Service", host)["spec"]!["ports"].Items(), p => (string)p["port"]! == port);
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task The_silo_host_takes_its_name_address_ports_and_cluster_from_the_pod(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        foreach (var silo in manifest.Silos())
        {
            var env = manifest.Env(silo.Container);
            await using var app = SiloHost.Build(manifest, silo);

            Assert.Equal(SiloHost.PodName, app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
            var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
            Assert.Equal(SiloHost.PodIP, endpoints.AdvertisedIPAddress);
            Assert.Equal(silo.Container.PortNumber("silo"), endpoints.SiloPort);
            Assert.Equal(silo.Container.PortNumber("gateway"), endpoints.GatewayPort);
            var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
            Assert.Equal(env.Literal("ORLEANS_SERVICE_ID"), cluster.ServiceId);
            Assert.Equal(env.Literal("ORLEANS_CLUSTER_ID"), cluster.ClusterId);
            Assert.Equal("RedisMembershipTable", app.Services.GetRequiredService<IMembershipTable>().GetType().Name);
            Assert.Equal("RedisReminderTable", app.Services.GetRequiredService<IReminderTable>().GetType().Name);
        }
    }
}
