namespace Pipeline.TestSupport;

/// <summary>
/// Where a project of the repository put its build: the same configuration and framework as this test assembly.
/// Apps are run from their own output, with their own runtime configuration and dependencies (a test project's
/// output merges several apps' dependencies and may drop those one app needs, e.g. Microsoft.Extensions.Hosting
/// of the client next to the silo's ASP.NET Core framework).
/// </summary>
public static class BuildOutput
{
    /// <param name="project">The project's folder under src/, e.g. "Client".</param>
    public static string File(string project, string fileName)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory);
        var path = Path.Combine(Repository.Root, "src", project, "bin", framework.Parent!.Name, framework.Name, fileName);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"{path}: not built (the test project references src/{project}, so building the tests builds it)");
    }
}
