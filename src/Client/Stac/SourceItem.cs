using Pipeline.Imaging.Access;
using Pipeline.Imaging.Stac;
using System.Text.Json.Nodes;

namespace Pipeline.Client.Stac;

/// <summary>The STAC Item a scene was read from, as its output's item needs it: where the item is (file or URL, for
/// the <c>derived_from</c> link), its acquisition time, and the properties that still hold for the output (platform,
/// constellation, instruments, mission, cloud cover).</summary>
sealed record SourceItem(string Href, string Id, string? Datetime, IReadOnlyDictionary<string, JsonNode?> Carried)
{
    static readonly string[] CarriedKeys = ["platform", "constellation", "instruments", "mission", "eo:cloud_cover", "start_datetime", "end_datetime"];

    /// <summary>The item a scene's input names (<see cref="StacScenePath"/>), read again for its output's item; null for
    /// any other input.</summary>
    public static SourceItem? For(string input)
    {
        if (!StacScenePath.Is(input)) return null;
        var scene = StacScenePath.Parse(input);
        return Of(scene.Location, StacDocuments.Item(scene.Location, StacDocuments.Load(scene.Location, InputPolicy.Unrestricted), scene.ItemId));
    }

    public static SourceItem Of(string href, JsonObject item)
    {
        var properties = item["properties"] as JsonObject ?? [];
        var datetime = properties["datetime"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? properties["datetime"]!.GetValue<string>() : null;
        return new SourceItem(href, (string?)item["id"] ?? "", datetime, CarriedKeys.Where(properties.ContainsKey).ToDictionary(key => key, key => properties[key]));
    }
}
