using System.Xml.Linq;

namespace Pipeline.Deploy.Tests;

/// <summary>
/// deploy/gpu/bundle.sh, the package a GPU machine without .NET gets: built from a copy of this working tree (its
/// publish must not disturb this tree's build), under 80 MiB (the shipped weights files are most of it and do not compress), carrying no libtorch, and running through run.sh
/// against the libtorch of another folder (here the libtorch-cpu package's own libraries), with the same output as
/// the regular build. Only the CUDA libraries themselves are left for the GPU machine.
/// </summary>
public sealed class GpuBundleTests : IDisposable
{
    const long MaxCompressedBytes = 80L << 20;

    readonly string work = Directory.CreateTempSubdirectory("sr-gpu-bundle-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void The_bundle_is_small_carries_no_libtorch_and_runs_against_a_libtorch_elsewhere()
    {
        var source = Path.Combine(work, "source");
        CopyWorkingTree(source);
        var bundle = Path.Combine(work, "gpu-bundle");

        var build = Processes.Run(TimeSpan.FromMinutes(10), Path.Combine(source, "deploy", "gpu", "bundle.sh"), bundle);

        Assert.True(build.ExitCode == 0, build.Stdout + build.Stderr);
        var archive = new FileInfo(bundle + ".tar.xz");
        Assert.InRange(archive.Length, 1L << 20, MaxCompressedBytes);
        Assert.Empty(Directory.GetFiles(bundle, "libtorch*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(bundle, "libc10*", SearchOption.AllDirectories));

        var sample = Repository.Path("samples", "neon_BART_2019_rgb_10cm_crop512.tif");
        var viaBundle = Path.Combine(work, "bundle-x2.tif");
        var run = Processes.Run(TimeSpan.FromMinutes(3), Path.Combine(bundle, "run.sh"), LibtorchCpuFolder(), "upscale", sample, "--out", viaBundle, "--scale", "2", "--quiet");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var regular = Path.Combine(work, "regular-x2.tif");
        var reference = Processes.Run(TimeSpan.FromMinutes(3), "dotnet", Repository.Path("src", "Client", "bin", "Release", "net10.0", "sr.dll"), "upscale", sample, "--out", regular, "--scale", "2", "--quiet");
        Assert.True(reference.ExitCode == 0, reference.Stdout + reference.Stderr);
        Assert.Equal(File.ReadAllBytes(regular), File.ReadAllBytes(viaBundle));

        // Without a libtorch on the library path: one line that says what to do, not TorchSharp's page of advice.
        var bare = Processes.Run(TimeSpan.FromMinutes(1), Path.Combine(bundle, "sr", "sr"), "upscale", sample, "--out", Path.Combine(work, "bare.tif"), "--scale", "2", "--quiet");
        Assert.Equal(1, bare.ExitCode);
        Assert.StartsWith("error: libtorch was not found", bare.Stderr);
        Assert.Single(bare.Stderr.Trim().Split('\n'));
        var wrongFolder = Processes.Run(Path.Combine(bundle, "run.sh"), work, "--version");
        Assert.Equal(2, wrongFolder.ExitCode);
        Assert.StartsWith($"error: {work}: no libtorch_cpu.so there", wrongFolder.Stderr);
    }

    /// <summary>The files git tracks or would track, as they are in the working tree.</summary>
    static void CopyWorkingTree(string target)
    {
        var files = Processes.Run("git", "-C", Repository.Root, "ls-files", "-co", "--exclude-standard", "-z");
        Assert.Equal(0, files.ExitCode);
        foreach (var file in files.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var from = Repository.Path(file);
            if (!File.Exists(from)) continue; // deleted in the working tree, not yet in the index
            var to = Path.Combine(target, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
            if (OperatingSystem.IsLinux()) File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        }
    }

    /// <summary>The native folder of the libtorch-cpu package this repository restores (in the NuGet cache).</summary>
    static string LibtorchCpuFolder()
    {
        var version = XDocument.Load(Repository.Path("Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "libtorch-cpu-linux-x64").Attribute("Version")!.Value;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "libtorch-cpu-linux-x64", version, "runtimes", "linux-x64", "native");
    }
}
