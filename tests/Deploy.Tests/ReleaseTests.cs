using System.Xml.Linq;

namespace Pipeline.Deploy.Tests;

/// <summary>One version names a release: the assemblies (<c>sr --version</c>) and the images every overlay runs.</summary>
public sealed class ReleaseTests
{
    static string Version => XDocument.Load(Repository.Path("Directory.Build.props")).Descendants("Version").Single().Value;

    public static TheoryData<string> OverlayNames => Overlays.All();

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Pipeline_images_are_tagged_with_the_version_and_pulled_if_not_present(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var pipeline = manifest.Workloads().SelectMany(w => w.Containers).Where(c => ((string)c["image"]!).StartsWith("sr-pipeline/")).ToList();

        Assert.NotEmpty(pipeline);
        Assert.All(pipeline, container =>
        {
            Assert.Matches($"^sr-pipeline/(silo|client):{System.Text.RegularExpressions.Regex.Escape(Version)}-(cpu|cuda)$", (string)container["image"]!);
            Assert.Equal("IfNotPresent", (string?)container["imagePullPolicy"]);
        });
    }

    [Fact]
    public void The_version_is_a_release_number_and_sr_reports_it_with_its_exit_codes()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", Version);
        var sr = Path.Combine(AppContext.BaseDirectory, "sr.dll");
        var version = Processes.Run("dotnet", sr, "--version");
        var help = Processes.Run("dotnet", sr, "--help");

        Assert.StartsWith(Version + "+", version.Stdout.Trim());
        Assert.Contains("Exit codes: 0 succeeded", help.Stdout);
        Assert.Contains("6 unknown job", help.Stdout);
    }
}
