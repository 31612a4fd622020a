using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Client.Stac;

/// <summary>Writing STAC JSON (through a temporary name, renamed at the end) and the hrefs in it: relative to the file
/// that holds them for local targets, so a catalogue folder can be moved or served as it is; URLs as they are.</summary>
static class StacFiles
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteAtomically(string path, JsonNode json) => WriteAtomically(path, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString(Indented) + "\n"));

    public static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = $"{path}.partial-{Guid.NewGuid():N}"[..(path.Length + 17)];
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A file of the catalogue as seen from <paramref name="folder"/>: "./a.tif", "../collection.json"; a URL as it is.</summary>
    public static string Href(string target, string folder)
    {
        if (IsUrl(target)) return target;
        var relative = Path.GetRelativePath(folder, Path.GetFullPath(target));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? relative : "./" + relative;
    }

    /// <summary>A source outside the catalogue: its absolute path (the catalogue may move without it), or its URL.</summary>
    public static string External(string target) => IsUrl(target) ? target : Path.GetFullPath(target);

    public static bool IsUrl(string path) =>
        path.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
}
