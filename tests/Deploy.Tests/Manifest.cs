using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Pipeline.Deploy.Tests;

/// <summary>The objects of one rendered overlay. Each YAML document becomes a JSON tree (every scalar a string),
/// which is easier to walk than YAML nodes.</summary>
sealed class Manifest(IReadOnlyList<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> Objects => objects;

    public static Manifest Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var toJson = new SerializerBuilder().JsonCompatible().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var documents = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = deserializer.Deserialize<object?>(parser);
            if (document is not null) documents.Add(JsonNode.Parse(toJson.Serialize(document))!.AsObject());
        }
        return new Manifest(documents);
    }

    public IEnumerable<JsonObject> OfKind(string kind) => objects.Where(o => o.Kind() == kind);

    public JsonObject Get(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => o.Name() == name) ?? throw new KeyNotFoundException($"no {kind} {name}");

    public string Namespace => OfKind("Namespace").Single().Name();

    public IEnumerable<Workload> Workloads() =>
        objects.Select(o => o.PodTemplate() is { } template ? new Workload(o, template) : null).OfType<Workload>();

    /// <summary>Orleans silos: the workloads whose pods declare a silo role.</summary>
    public IEnumerable<Workload> Silos() => Workloads().Where(w => w.Containers.Any(c => Env(c).Has("Orleans__Metadata__role")));

    public Workload Silo(string role) => Silos().Single(w => w.Containers.Any(c => Env(c).Literal("Orleans__Metadata__role") == role));

    public ContainerEnvironment Env(JsonObject container) => new(this, container);
}
