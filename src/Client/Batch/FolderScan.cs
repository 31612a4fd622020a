using System.IO.Enumeration;

namespace Pipeline.Client.Batch;

/// <summary>The scenes under a folder (recursively; GeoTIFFs and Sentinel-2 products, *.tif, *.tiff, *.SAFE folders and
/// *.SAFE.zip, or a glob such as *.jp2), each written to the
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
            // A Sentinel-2 .SAFE folder is one scene, not a folder to search.
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory || IsSafe(entry.FileName),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0 && !IsSafe(entry.FileName),
        };
        return files
            .Where(file => !file.StartsWith(outputPrefix, StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(folder, file))
            .Where(relative => pattern?.Matches(relative) ?? IsSceneName(relative))
            .Order(StringComparer.Ordinal)
            .Select(relative => new BatchScene(Path.Combine(folder, relative), Path.Combine(outputFolder, BatchScene.OutputName(relative)), scale))
            .ToList();
    }

    static bool IsSceneName(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".tif" or ".tiff" || IsSafe(path) || path.EndsWith(".SAFE.zip", StringComparison.OrdinalIgnoreCase);

    static bool IsSafe(ReadOnlySpan<char> name) => name.EndsWith(".SAFE", StringComparison.OrdinalIgnoreCase);
}
