using System.Diagnostics;

namespace Pipeline.Models.Tests;

/// <summary>
/// The build marks libLibTorchSharp.so's GLIBCXX_3.4.32 need weak in the build output only, and only
/// where the host libstdc++ lacks that version (build/WeakenGlibcxxRequirement.cs).
/// </summary>
public class GlibcxxPatchTests
{
    const string Version = "GLIBCXX_3.4.32";

    static string OutputCopy => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void Output_copy_is_weak_exactly_when_the_host_lacks_the_version()
    {
        var flags = VersionNeedFlags(OutputCopy);
        Assert.Equal(!HostLibstdcxxDefines(Version), flags.Contains("WEAK"));
    }

    [Fact]
    public void NuGet_cache_copy_is_never_modified()
    {
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Directory.GetFiles(Path.Combine(home, "torchsharp"), "libLibTorchSharp.so", SearchOption.AllDirectories)
            .Single(p => p.Contains("linux-x64"));
        Assert.DoesNotContain("WEAK", VersionNeedFlags(cached));
    }

    /// <summary>The Flags column of readelf's line for the version need, e.g. "none" or "WEAK".</summary>
    static string VersionNeedFlags(string library)
    {
        var psi = new ProcessStartInfo("readelf", $"-V \"{library}\"") { RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').Single(l => l.Contains("Name: " + Version));
        return line[(line.IndexOf("Flags:", StringComparison.Ordinal) + 6)..].Trim();
    }

    static bool HostLibstdcxxDefines(string version)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(version + "\0");
        var lib = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .First(File.Exists);
        return File.ReadAllBytes(lib).AsSpan().IndexOf(needle) >= 0;
    }
}
