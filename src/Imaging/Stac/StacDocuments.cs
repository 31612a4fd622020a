using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Stac;

/// <summary>
/// STAC JSON as inputs: an Item, an ItemCollection (a STAC API answer), or a Catalog or Collection whose item and
/// child links lead to items. Local files or URLs (fetched through the process's network gate, under the same
/// <see cref="InputPolicy"/> as the scenes), each at most <see cref="MaxBytes"/>; hrefs are resolved against the
/// document that holds them.
/// </summary>
public static class StacDocuments
{
    /// <summary>Far above any real item or catalogue page; a bloated one is refused before it is parsed.</summary>
    public const int MaxBytes = 32 << 20;

    /// <summary>How deep child links are followed, and how many items a catalogue may list: a cycle or a hostile
    /// catalogue ends there.</summary>
    const int MaxDepth = 8, MaxItems = 100_000;

    static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Whether <paramref name="path"/> is a local JSON file that declares a STAC type (Feature, FeatureCollection,
    /// Catalog, Collection) or a URL ending in .json; a JSON manifest (an array) is not.</summary>
    public static bool LooksLikeStac(string path)
    {
        if (IsUrl(path)) return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || !File.Exists(path)) return false;
        try
        {
            using var stream = File.OpenRead(path);
            var head = new byte[Math.Min(stream.Length, 4096)];
            stream.ReadExactly(head);
            var text = System.Text.Encoding.UTF8.GetString(head).TrimStart();
            return text.StartsWith('{') && text.Contains("\"type\"", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The JSON object at <paramref name="location"/>.</summary>
    /// <exception cref="RasterFormatException">Refused by the policy, unreadable, too large, or not a JSON object.</exception>
    public static JsonObject Load(string location, InputPolicy policy)
    {
        if (policy.Problem(location) is { } refused) throw refused;
        byte[] bytes;
        try
        {
            bytes = IsUrl(location) ? Fetch(location) : ReadLocal(location);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException)
        {
            throw new RasterFormatException(location, $"cannot read it ({e.Message})", e);
        }
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw new RasterFormatException(location, "not a JSON object, so no STAC item or catalogue");
        }
        catch (JsonException e)
        {
            throw new RasterFormatException(location, $"not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>The item <paramref name="itemId"/> of the document (or its only one).</summary>
    public static JsonObject Item(string location, JsonObject document, string? itemId)
    {
        var type = (string?)document["type"];
        if (type == "Feature")
        {
            if (itemId is not null && (string?)document["id"] != itemId) throw new RasterFormatException(location, $"is item '{document["id"]}', not '{itemId}'");
            return document;
        }
        if (type != "FeatureCollection") throw new RasterFormatException(location, $"is a STAC {type ?? "document without a type"}, not an item or item collection");
        var features = (document["features"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (itemId is not null)
            return features.FirstOrDefault(f => (string?)f["id"] == itemId) ?? throw new RasterFormatException(location, $"holds no item '{itemId}'");
        return features.Count == 1 ? features[0] : throw new RasterFormatException(location, $"holds {features.Count} items; name one (:item=<id>)");
    }

    /// <summary>Every item a document leads to, as (the document holding it, its id): an item itself, the features of an
    /// ItemCollection, the item links of a Catalog or Collection and those of its children.</summary>
    public static IReadOnlyList<(string Location, string Id)> Items(string location, InputPolicy policy)
    {
        var found = new List<(string, string)>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        Walk(location, Load(location, policy), 0);
        return found;

        void Walk(string at, JsonObject document, int depth)
        {
            if (!visited.Add(at)) return;
            switch ((string?)document["type"])
            {
                case "Feature":
                    found.Add((at, Id(at, document)));
                    break;
                case "FeatureCollection":
                    foreach (var feature in (document["features"] as JsonArray ?? []).OfType<JsonObject>()) found.Add((at, Id(at, feature)));
                    break;
                case "Catalog" or "Collection":
                    if (depth >= MaxDepth) throw new RasterFormatException(location, $"its child links go deeper than {MaxDepth} levels");
                    foreach (var link in (document["links"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        var rel = (string?)link["rel"];
                        if ((rel == "item" || rel == "child") && (string?)link["href"] is { } href)
                        {
                            var target = Resolve(at, href);
                            Walk(target, Load(target, policy), depth + 1);
                        }
                    }
                    break;
                default:
                    throw new RasterFormatException(at, $"is not a STAC item, item collection, catalog or collection (type '{document["type"]}')");
            }
            if (found.Count > MaxItems) throw new RasterFormatException(location, $"lists more than {MaxItems:N0} items");
        }
    }

    /// <summary><paramref name="href"/> as written in the document at <paramref name="location"/>: a URL, an absolute
    /// path, or relative to the document.</summary>
    public static string Resolve(string location, string href)
    {
        if (IsUrl(href) || href.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || href.StartsWith("/vsi", StringComparison.Ordinal)) return href;
        if (IsUrl(location)) return new Uri(new Uri(location), href).ToString();
        if (href.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) return new Uri(href).LocalPath;
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(location))!, href));
    }

    static string Id(string location, JsonObject item) =>
        (string?)item["id"] is { Length: > 0 } id ? id : throw new RasterFormatException(location, "holds an item without an id");

    static bool IsUrl(string path) =>
        path.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    static byte[] ReadLocal(string path)
    {
        if (ScenePaths.InputProblem(path) is { } problem) throw problem;
        if (new FileInfo(path).Length > MaxBytes) throw new RasterFormatException(path, $"larger than {MaxBytes >> 20} MiB, more than any STAC document should be");
        return File.ReadAllBytes(path);
    }

    /// <summary>Through the process's gate, as GDAL's reads go: the same hosts, addresses and byte budget.</summary>
    static byte[] Fetch(string url)
    {
        using var handler = new HttpClientHandler { Proxy = new WebProxy($"http://{GdalNetwork.Gate.Address}"), UseProxy = true, MaxAutomaticRedirections = 5 };
        using var client = new HttpClient(handler) { Timeout = FetchTimeout, MaxResponseContentBufferSize = MaxBytes };
        return client.GetByteArrayAsync(url).GetAwaiter().GetResult();
    }
}
