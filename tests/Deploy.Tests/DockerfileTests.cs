using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Pipeline.Silo;

namespace Pipeline.Deploy.Tests;

/// <summary>What can be checked of the images without a Docker engine: the Dockerfile's targets, users, base images,
/// build commands, build context and health check against the repository and the manifests.</summary>
public sealed class DockerfileTests
{
    static readonly Dockerfile Docker = Dockerfile.Load();
    static readonly string[] Targets = ["silo", "client"];

    public static TheoryData<string> OverlayNames => Overlays.All();

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Each_target_runs_as_the_non_root_user_its_pods_require(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var users = Targets.ToDictionary(t => t, t => int.Parse(Docker[t].All("USER").Last()));
        Assert.All(users.Values, uid => Assert.True(uid > 0));

        var ours = manifest.Workloads().Select(w => (Workload: w, Target: ImageName(w))).Where(w => users.ContainsKey(w.Target)).ToList();
        Assert.Equal(Targets.Order(), ours.Select(w => w.Target).Distinct().Order());
        Assert.All(ours, pair =>
        {
            var (workload, target) = pair;
            Assert.Equal("true", (string?)workload.Pod["securityContext"]!["runAsNonRoot"]);
            Assert.Equal(users[target].ToString(), (string?)workload.Pod["securityContext"]!["runAsUser"]);
        });
    }

    [Fact]
    public void Every_torch_build_has_a_runtime_base_and_is_a_build_the_repository_knows()
    {
        Assert.Equal("cpu", Docker.GlobalArgs["TORCH_BUILD"]);
        Assert.All(Targets, t => Assert.Equal("runtime-${TORCH_BUILD}", Docker[t].From));
        Assert.Equal("${DOTNET_RUNTIME_IMAGE}", Docker["runtime-cpu"].From);
        Assert.Equal("${CUDA_IMAGE}", Docker["runtime-cuda"].From);
        Assert.Matches(@"^nvidia/cuda:[\d.]+-(cudnn-)?runtime-", Docker.GlobalArgs["CUDA_IMAGE"]);
        Assert.Contains(Docker["runtime-cuda"].All("COPY"), copy => copy.StartsWith("--from=dotnet /usr/share/dotnet"));
        Assert.Equal("${DOTNET_RUNTIME_IMAGE}", Docker["dotnet"].From);

        // -p:TorchBuild=cuda selects TorchSharp's CUDA build (Directory.Build.props defaults it to cpu).
        Assert.Contains("<TorchBuild Condition=\"'$(TorchBuild)' == ''\">cpu</TorchBuild>", File.ReadAllText(Repository.Path("Directory.Build.props")));
        Assert.Contains("'$(TorchBuild)' == 'cuda'", File.ReadAllText(Repository.Path("src", "Models", "Pipeline.Models.csproj")));
    }

    [Theory]
    [InlineData("silo", "build-silo", "src/Silo/Pipeline.Silo.csproj")]
    [InlineData("client", "build-client", "src/Client/Pipeline.Client.csproj")]
    public void Each_target_publishes_its_project_with_the_torch_build_and_starts_its_assembly(string target, string build, string project)
    {
        var publish = Assert.Single(Docker[build].All("RUN"), run => run.Contains("dotnet publish"));

        Assert.Contains($"dotnet publish {project} ", publish);
        Assert.Contains("-p:TorchBuild=${TORCH_BUILD}", publish);
        Assert.Contains("TORCH_BUILD", Docker[build].All("ARG"));
        Assert.Contains(Docker[target].All("COPY"), copy => copy.StartsWith($"--from={build} /out "));
        var assembly = XDocument.Load(Repository.Path(project)).Descendants("AssemblyName").Single().Value;
        Assert.Equal($"[\"dotnet\", \"/app/{assembly}.dll\"]", Docker[target].All("ENTRYPOINT").Single());
    }

    [Fact]
    public void The_build_context_holds_every_file_the_builds_need()
    {
        var ignore = File.ReadAllLines(Dockerfile.PathInRepository + ".dockerignore");
        Assert.Equal("*", ignore.First(line => !line.StartsWith('#')));
        var included = ignore.Where(line => line.StartsWith('!')).Select(line => line[1..].TrimEnd('/')).ToList();

        var needed = new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "build/TorchSharpNative.targets" }
            .Concat(Projects("src/Silo/Pipeline.Silo.csproj").Concat(Projects("src/Client/Pipeline.Client.csproj")));
        Assert.All(needed, path =>
        {
            Assert.True(File.Exists(Repository.Path(path)), $"{path} does not exist");
            Assert.Contains(included, root => path == root || path.StartsWith(root + "/"));
        });
    }

    [Fact]
    public void The_silo_image_checks_liveness_and_exposes_the_silos_ports()
    {
        var settings = SiloWebSettings.From(new ConfigurationBuilder().AddJsonFile(Repository.Path("src", "Silo", "appsettings.json")).Build());

        Assert.Contains($"http://127.0.0.1:{settings.Http.Port}/health/live", Docker["silo"].All("HEALTHCHECK").Single());
        Assert.Equal(
            new[] { EndpointOptions.DEFAULT_SILO_PORT, EndpointOptions.DEFAULT_GATEWAY_PORT, settings.Http.Port, settings.Dashboard.Port }.Order(),
            Docker["silo"].All("EXPOSE").Single().Split(' ').Select(int.Parse).Order());
    }

    /// <summary>The image's last path segment without its tag: "silo" for sr-pipeline/silo:0.9.0-cuda.</summary>
    static string ImageName(Workload workload) => ((string)workload.Container["image"]!).Split('/')[^1].Split(':')[0];

    /// <summary>A project and every project it references, as repository paths.</summary>
    static IEnumerable<string> Projects(string project)
    {
        var references = XDocument.Load(Repository.Path(project)).Descendants("ProjectReference")
            .Select(r => Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Repository.Path(Path.GetDirectoryName(project)!), r.Attribute("Include")!.Value))));
        return references.SelectMany(Projects).Prepend(project).Distinct();
    }
}
