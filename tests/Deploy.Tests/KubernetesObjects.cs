using System.Text.Json.Nodes;

namespace Pipeline.Deploy.Tests;

/// <summary>Field access on rendered Kubernetes objects.</summary>
static class KubernetesObjects
{
    public static string Kind(this JsonObject o) => (string)o["kind"]!;
    public static string Name(this JsonObject o) => (string)o["metadata"]!["name"]!;
    public static string? Namespace(this JsonObject o) => (string?)o["metadata"]!["namespace"];

    /// <summary>The pod template of a workload (CronJobs nest it in their job template), or null.</summary>
    public static JsonObject? PodTemplate(this JsonObject o) => o.Kind() switch
    {
        "Deployment" or "StatefulSet" or "Job" => o["spec"]!["template"]!.AsObject(),
        "CronJob" => o["spec"]!["jobTemplate"]!["spec"]!["template"]!.AsObject(),
        _ => null,
    };

    public static IEnumerable<JsonObject> Items(this JsonNode? list) => list?.AsArray().Select(n => n!.AsObject()) ?? [];

    public static IEnumerable<string> Strings(this JsonNode? list) => list?.AsArray().Select(n => (string)n!) ?? [];

    public static IReadOnlyDictionary<string, string> Map(this JsonNode? map) =>
        map?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!) ?? [];

    /// <summary>A container port given by name or number, as a number.</summary>
    public static int PortNumber(this JsonObject container, string port) =>
        int.TryParse(port, out var number) ? number
            : int.Parse((string)container["ports"].Items().Single(p => (string?)p["name"] == port)["containerPort"]!);
}
