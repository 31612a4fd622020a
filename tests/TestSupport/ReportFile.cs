using System.Text.Json.Nodes;

namespace Pipeline.TestSupport;

/// <summary>A batch report read as any consumer would: plain JSON, by property name.</summary>
public sealed class ReportFile(JsonNode root)
{
    public static ReportFile Read(string path) => new(JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty"));

    public int Total => (int)root["total"]!;
    public int Done => (int)root["done"]!;
    public int Skipped => (int)root["skipped"]!;
    public int Failed => (int)root["failed"]!;

    public IReadOnlyList<JsonNode> Scenes => root["scenes"]!.AsArray().Select(scene => scene!).ToList();

    public JsonNode Scene(string input) =>
        Scenes.SingleOrDefault(scene => (string)scene["input"]! == input) ?? throw new InvalidOperationException($"the report has no scene {input}:\n{root}");

    public static string Status(JsonNode scene) => (string)scene["status"]!;

    public override string ToString() => root.ToJsonString();
}
