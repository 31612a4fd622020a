using Pipeline.Imaging;
namespace Pipeline.Client.Batch;

/// <summary>
/// A manifest of scenes: CSV with the header <c>input,output,scale</c> (output and scale columns, and cells, optional)
/// or, for a <c>.json</c> file, an array of <c>{"input": …, "output": …, "scale": …}</c>. Relative paths are relative
/// to the manifest's folder. A row without an output writes to the output folder, at the input's path relative to
/// the manifest's folder when it lies under it (its file name otherwise); a row without a scale uses <c>--scale</c>.
/// A malformed manifest is refused whole, naming the file and the line or entry.
/// </summary>
static class ManifestFile
{
    public static IReadOnlyList<BatchScene> Read(string path, string outputFolder, double defaultScale)
    {
        var rows = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase)
            ? JsonManifest.Rows(path)
            : CsvManifest.Rows(path);
        var folder = Path.GetDirectoryName(path)!;
        return rows.Select(row => Scene(row, folder, outputFolder, defaultScale)).ToList();
    }

    static BatchScene Scene(ManifestRow row, string folder, string outputFolder, double defaultScale)
    {
        var input = ScenePaths.Resolve(row.Input, folder);
        var output = row.Output is { } given
            ? Path.GetFullPath(given, folder)
            : Path.Combine(outputFolder, BatchScene.OutputName(IsUnder(input, folder) ? Path.GetRelativePath(folder, input) : Path.GetFileName(input.TrimEnd('/'))));
        return new BatchScene(input, output, row.Scale ?? defaultScale);
    }

    static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}

/// <summary>One row or entry of a manifest as written (paths not resolved yet).</summary>
sealed record ManifestRow(string Input, string? Output, double? Scale);
