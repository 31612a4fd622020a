namespace Pipeline.TestSupport;

/// <summary>The repository this test assembly was built from, and the project's shared data beside it
/// (<c>../shared/data</c>: real scenes, training and validation images; present on the project's machines and in CI).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A file or folder under the shared data, e.g. <c>SharedData("val")</c>.</summary>
    public static string SharedData(params string[] parts) => System.IO.Path.GetFullPath(System.IO.Path.Combine([Root, "..", "shared", "data", .. parts]));

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Pipeline.sln above {AppContext.BaseDirectory}");
    }
}
