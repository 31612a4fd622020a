using System.Text.RegularExpressions;

namespace Pipeline.Imaging.Stac;

/// <summary>
/// A scene read from a STAC Item, named as GDAL names subdatasets: <c>STAC:"&lt;file or URL&gt;"</c>, then
/// <c>:item=&lt;id&gt;</c> to pick one item of an ItemCollection, and <c>:assets=red,green,blue</c> for the assets to stack
/// (keys or band names). The name travels in a job as any input path does and is read where the job runs.
/// </summary>
public sealed partial record StacScenePath(string Location, string? ItemId, IReadOnlyList<string> Assets)
{
    public const string Prefix = "STAC:";

    public static bool Is(string path) => path.StartsWith(Prefix + "\"", StringComparison.Ordinal);

    /// <summary>A local item file made absolute; a URL as given.</summary>
    public static string Format(string location, string? itemId, IReadOnlyList<string> assets)
    {
        var local = location.Contains("://", StringComparison.Ordinal) ? location : Path.GetFullPath(location);
        // Ids and asset names may hold any character: escaped, a ':' or ',' in one cannot split the name.
        return $"{Prefix}\"{local}\"" + (itemId is null ? "" : $":item={Uri.EscapeDataString(itemId)}")
               + (assets.Count == 0 ? "" : $":assets={string.Join(',', assets.Select(Uri.EscapeDataString))}");
    }

    /// <exception cref="ArgumentException">Not a STAC scene path.</exception>
    public static StacScenePath Parse(string path)
    {
        var match = Syntax().Match(path);
        if (!match.Success) throw new ArgumentException($"'{path}' is not STAC:\"<item>\"[:item=<id>][:assets=<a,b,…>]", nameof(path));
        var assets = match.Groups["assets"].Success
            ? match.Groups["assets"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray()
            : [];
        return new StacScenePath(match.Groups["location"].Value, match.Groups["item"].Success ? Uri.UnescapeDataString(match.Groups["item"].Value) : null, assets);
    }

    [GeneratedRegex("^STAC:\"(?<location>[^\"]+)\"(?::item=(?<item>[^:]+))?(?::assets=(?<assets>[^:]+))?$")]
    private static partial Regex Syntax();
}
