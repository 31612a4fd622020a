using System.Text.Json.Nodes;

namespace Pipeline.Deploy.Tests;

/// <summary>An object that runs pods (Deployment, StatefulSet, Job, CronJob) and its pod template.</summary>
sealed record Workload(JsonObject Object, JsonObject Template)
{
    public string Name => Object.Name();
    public JsonObject Pod => Template["spec"]!.AsObject();
    public IReadOnlyDictionary<string, string> Labels => Template["metadata"]!["labels"].Map();
    public IReadOnlyList<JsonObject> Containers => Pod["containers"].Items().ToList();
    public JsonObject Container => Containers.Single();
    public override string ToString() => $"{Object.Kind()} {Name}";
}
