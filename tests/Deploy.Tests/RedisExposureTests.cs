using System.Text.Json.Nodes;

namespace Pipeline.Deploy.Tests;

/// <summary>Redis requires a password from a Secret, every client of it (silos, batch runs) uses that same Secret,
/// Redis runs with a read-only root, and NetworkPolicies let only the pipeline's pods reach Redis and the silo ports.</summary>
public sealed class RedisExposureTests
{
    public static TheoryData<string> OverlayNames => Overlays.All();

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Redis_requires_the_secret_password_that_every_client_uses(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var redis = manifest.Workloads().Single(w => w.Labels.GetValueOrDefault("app.kubernetes.io/component") == "redis");
        var redisEnv = manifest.Env(redis.Container);
        var password = Assert.IsType<SecretKeyRef>(redisEnv["REDIS_PASSWORD"]);
        Assert.Equal(password, redisEnv["REDISCLI_AUTH"]);
        var args = redis.Container["args"].Strings().ToList();
        Assert.Equal(password, redisEnv.Expand(args[args.IndexOf("--requirepass") + 1]));
        Assert.True((string?)redis.Container["securityContext"]!["readOnlyRootFilesystem"] == "true", "Redis root file system is writable");

        var marker = "password=" + ContainerEnvironment.SecretMarker(password);
        var clients = 0;
        foreach (var workload in manifest.Workloads().Where(w => w != redis))
            foreach (var container in workload.Containers)
            {
                var env = manifest.Env(container);
                var connections = env.Variables.Where(v => v.Key.EndsWith("ConnectionString", StringComparison.Ordinal)).Select(v => Assert.IsType<Literal>(v.Value).Value)
                    .Concat(container["args"].Strings().Where(a => a.Contains("REDIS_CONNECTION")).Select(a => Assert.IsType<Literal>(env.Expand(a)).Value))
                    .ToList();
                foreach (var connection in connections) Assert.EndsWith(marker, connection);
                clients += connections.Count > 0 ? 1 : 0;
            }
        Assert.True(clients >= 3, $"{clients} Redis clients found"); // coordinators, workers, batch runs
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Only_pipeline_pods_reach_redis_and_the_silo_ports(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var policies = manifest.OfKind("NetworkPolicy").ToList();

        JsonObject PolicyFor(Workload workload) => Assert.Single(policies, p => Selects(p["spec"]!["podSelector"]!.AsObject(), workload.Labels));
        foreach (var workload in manifest.Workloads())
        {
            var ports = workload.Containers.SelectMany(c => c["ports"].Items()).Select(p => int.Parse((string)p["containerPort"]!)).ToList();
            var isRedis = workload.Labels.GetValueOrDefault("app.kubernetes.io/component") == "redis";
            if (!isRedis && !manifest.Silos().Contains(workload)) continue;
            var ingress = PolicyFor(workload)["spec"]!["ingress"].Items().ToList();
            foreach (var port in ports)
            {
                var rules = ingress.Where(r => r["ports"].Items().Any(p => int.Parse((string)p["port"]!) == port)).ToList();
                Assert.NotEmpty(rules);
                if (port == 8080) continue; // probes and Prometheus
                foreach (var rule in rules)
                {
                    var from = rule["from"].Items().ToList();
                    Assert.NotEmpty(from);
                    Assert.All(from, f => Assert.Equal("sr-pipeline", (string?)f["podSelector"]?["matchLabels"]?["app.kubernetes.io/part-of"]));
                }
            }
        }
        // Every pod that talks to Redis or the silos carries the label the policies admit.
        Assert.All(manifest.Workloads(), w => Assert.Equal("sr-pipeline", w.Labels.GetValueOrDefault("app.kubernetes.io/part-of")));
    }

    static bool Selects(JsonObject selector, IReadOnlyDictionary<string, string> labels) =>
        selector["matchLabels"].Map().All(l => labels.GetValueOrDefault(l.Key) == l.Value)
        && selector["matchExpressions"].Items().All(e => (string)e["operator"]! == "In"
            && e["values"].Strings().Contains(labels.GetValueOrDefault((string)e["key"]!)));
}
