using System.IO.Enumeration;

namespace Pipeline.Client.Batch;

/// <summary>The GeoTIFFs under a folder (recursively; *.tif and *.tiff, or a glob such as *.jp2), each written to the
/// same relative path under the output folder, as a .tif. Files under the output folder itself are never inputs, so an output folder inside
/// the input folder does not feed a re-run its own results. Links to folders are not followed (a `loop -> .` link
/// made one scene 41 scenes); links to files are scenes like any file.</summary>
static class FolderScan
{
    public static IReadOnlyList<BatchScene> Find(string folder, string outputFolder, double scale, GlobPattern? pattern)
    {
        var outputPrefix = outputFolder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var files = new FileSystemEnumerable<string>(folder, (ref FileSystemEntry entry) => entry.ToFullPath(),
            new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        return files
            .Where(file => !file.StartsWith(outputPrefix, StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(folder, file))
            .Where(relative => pattern?.Matches(relative) ?? IsGeoTiffName(relative))
            .Order(StringComparer.Ordinal)
            .Select(relative => new BatchScene(Path.Combine(folder, relative), Path.Combine(outputFolder, BatchScene.OutputName(relative)), scale))
            .ToList();
    }

    static bool IsGeoTiffName(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".tif" or ".tiff";
}
