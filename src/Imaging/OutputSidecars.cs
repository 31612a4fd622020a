namespace Pipeline.Imaging;

/// <summary>The files a job writes beside its output <c>name.tif</c>: the consistency map <c>name.consistency.tif</c>,
/// and, when the output fails <c>--max-inconsistency</c>, the output itself kept aside as <c>name.rejected.tif</c>.</summary>
public static class OutputSidecars
{
    public static string ConsistencyMap(string outputPath) => WithSuffix(outputPath, ".consistency");

    public static string Rejected(string outputPath) => WithSuffix(outputPath, ".rejected");

    static string WithSuffix(string path, string suffix)
    {
        var extension = Path.GetExtension(path);
        return Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + suffix + (extension.Length > 0 ? extension : ".tif"));
    }
}
