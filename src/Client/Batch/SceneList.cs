using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.Stac;

namespace Pipeline.Client.Batch;

/// <summary>
/// The scenes of a <c>batch</c> run: a folder searched recursively (outputs mirror the input's relative paths under
/// the output folder), a manifest (<see cref="ManifestFile"/>), or STAC (an item, an ItemCollection, or a catalogue
/// or collection whose links lead to items: each item a scene, written to <c>&lt;item id&gt;.tif</c>). Refuses, with one line naming the path, what
/// cannot be run at all: a missing input, an empty listing, two scenes writing the same output.
/// </summary>
static class SceneList
{
    /// <param name="assets">The assets of each STAC item to stack (<c>--assets</c>), when the input is STAC.</param>
    /// <param name="bands">The band group of each Sentinel-2 product (<c>--bands</c>); 20 m outputs are named <c>…_20m.tif</c>.</param>
    public static IReadOnlyList<BatchScene> Load(string input, string outputFolder, double scale, string? pattern, IReadOnlyList<string>? assets = null,
        string? bands = null)
    {
        var stac = StacDocuments.LooksLikeStac(input);
        var path = stac && input.Contains("://", StringComparison.Ordinal) ? input : Path.GetFullPath(input);
        var output = Path.GetFullPath(outputFolder);
        IReadOnlyList<BatchScene> scenes;
        if (assets is { Count: > 0 } && !stac) throw new ArgumentException($"{path}: --assets chooses the assets of STAC items, and this is no STAC input");
        if (stac)
        {
            if (pattern is not null) throw new ArgumentException($"{path}: --pattern selects files in a folder, not items of a STAC catalogue");
            // The CLI reads the catalogue for its user, as it reads a folder; silos check each item and asset again.
            scenes = [.. StacDocuments.Items(path, InputPolicy.Unrestricted).Select(item =>
                new BatchScene(StacScenePath.Format(item.Location, item.Id, assets ?? []), Path.Combine(output, FileNameOf(item.Id) + ".tif"), scale))];
            if (scenes.Count == 0) throw new InvalidDataException($"{path}: the STAC catalogue lists no items");
        }
        else if (Directory.Exists(path))
        {
            scenes = FolderScan.Find(path, output, scale, pattern is null ? null : new GlobPattern(pattern));
            if (scenes.Count == 0)
                throw new InvalidDataException($"{path}: no scenes match {(pattern is null ? "*.tif or *.tiff" : $"--pattern {pattern}")}");
        }
        else if (File.Exists(path))
        {
            if (pattern is not null) throw new ArgumentException($"{path}: --pattern selects files in a folder, not rows of a manifest");
            scenes = ManifestFile.Read(path, output, scale);
            if (scenes.Count == 0) throw new InvalidDataException($"{path}: the manifest lists no scenes");
        }
        else
        {
            throw new FileNotFoundException($"{path}: no such input folder or manifest", path);
        }
        if (bands is not null) scenes = WithBandGroup(path, scenes, bands);
        CheckOutputsDistinct(path, scenes);
        return scenes;
    }

    /// <summary>An item id as a file name in the output folder: characters other than letters, digits, '.', '-' and '_'
    /// become '_', and a leading '.' is prefixed, so no id ("../../x", "/etc/x", "..") names a file outside it. Two ids
    /// that become one name are refused as any two scenes writing one output are.</summary>
    static string FileNameOf(string id)
    {
        var name = new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);
        return name.StartsWith('.') ? "_" + name : name;
    }

    static IReadOnlyList<BatchScene> WithBandGroup(string source, IReadOnlyList<BatchScene> scenes, string bands)
    {
        if (!scenes.Any(s => Sentinel2Product.IsProduct(s.Input)))
            throw new ArgumentException($"{source}: --bands chooses the band group of Sentinel-2 products, and the batch has none");
        return [.. scenes.Select(s => !Sentinel2Product.IsProduct(s.Input) || bands == "10m" ? s
            : s with { Input = Sentinel2Product.SceneName(s.Input, bands), Output = Path.ChangeExtension(s.Output, null) + $"_{bands}.tif" })];
    }

    /// <summary>Two scenes writing one output, or a scene writing another's input (a → b, b → c, whose result would
    /// depend on the order the scenes run in), are refused before anything runs.</summary>
    static void CheckOutputsDistinct(string source, IReadOnlyList<BatchScene> scenes)
    {
        var seen = new Dictionary<string, BatchScene>(StringComparer.Ordinal);
        var inputs = scenes.GroupBy(s => Path.GetFullPath(s.Input), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var scene in scenes)
        {
            if (seen.TryGetValue(scene.Output, out var other))
                throw new InvalidDataException($"{source}: {other.Input} and {scene.Input} would both be written to {scene.Output}");
            if (inputs.TryGetValue(Path.GetFullPath(scene.Output), out var reader))
                throw new InvalidDataException($"{source}: {scene.Input} would be written to {scene.Output}, which the batch also reads as the input of {reader.Output}");
            seen[scene.Output] = scene;
        }
    }
}
