using System.Xml.Linq;

namespace Pipeline.Deploy.Tests;

/// <summary><c>sr</c> as a .NET tool: packed from the Release build, installed from a folder with
/// <c>dotnet tool install --add-source</c> (as the README says), and run: its version, and the shipped model on the
/// sample scene, which proves the packed libtorch and the GLIBCXX patch came along.</summary>
public sealed class DotnetToolTests : IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("sr-tool-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Sr_packs_installs_from_a_folder_and_runs_the_shipped_model()
    {
        var version = XDocument.Load(Repository.Path("Directory.Build.props")).Descendants("Version").Single().Value;
        var (feed, tools) = (Path.Combine(work, "feed"), Path.Combine(work, "tools"));

        var pack = Processes.Run(TimeSpan.FromMinutes(5), "dotnet", "pack", Repository.Path("src", "Client"), "-c", "Release", "--no-build", "-o", feed, "-nologo");
        Assert.True(pack.ExitCode == 0, pack.Stdout + pack.Stderr);
        var package = new FileInfo(Path.Combine(feed, $"sr-pipeline.{version}.nupkg"));
        Assert.True(package.Exists, pack.Stdout);
        var install = Processes.Run(TimeSpan.FromMinutes(5), "dotnet", "tool", "install", "sr-pipeline", "--add-source", feed, "--tool-path", tools);
        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);

        var sr = Path.Combine(tools, "sr");
        Assert.StartsWith(version + "+", Processes.Run(sr, "--version").Stdout.Trim());
        var output = Path.Combine(work, "neon_x2.tif");
        var run = Processes.Run(TimeSpan.FromMinutes(3), sr, "upscale", Repository.Path("samples", "neon_BART_2019_rgb_10cm_crop512.tif"), "--out", output, "--scale", "2", "--quiet");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("1024x1024, 3 band(s) Byte", run.Stdout);
        Assert.True(File.Exists(output));
    }
}
