using Microsoft.Extensions.DependencyInjection;
using Pipeline.Imaging.Access;
using Xunit.Abstractions;

namespace Pipeline.Deploy.Tests;

/// <summary>The batch Job and its CronJob example: a command the client accepts, pointed at the silos' cluster,
/// reading and writing on the volume every silo mounts at the same path.</summary>
public sealed class BatchJobTests(ITestOutputHelper output)
{
    public static TheoryData<string> OverlayNames => Overlays.All();

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void The_batch_runs_use_only_options_the_client_defines(string overlay)
    {
        var (options, source) = BatchCli.Options();
        output.WriteLine($"options checked against {source}: {string.Join(' ', options.Order())}");

        Assert.All(BatchRuns(Overlays.Render(overlay)), run =>
        {
            Assert.Null(run.Container["command"]);
            var args = run.Container["args"].Strings().ToList();
            Assert.Equal(BatchCli.Command, args[0]);
            Assert.Subset(options.ToHashSet(), args.Where(a => a.StartsWith("--")).Select(a => a.Split('=')[0]).ToHashSet());
            Assert.Subset(args.ToHashSet(), new HashSet<string> { "--input", "--output", "--scale", "--cluster" });
        });
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void The_batch_runs_join_the_silos_cluster(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var silo = manifest.Env(manifest.Silo("coordinator").Container);

        Assert.All(BatchRuns(manifest), run =>
        {
            var env = manifest.Env(run.Container);
            Assert.Equal(silo["Orleans__Clustering__ConnectionString"], env.Expand(Argument(run, "--cluster")));
            Assert.Equal(silo["Orleans__ServiceId"], env["Orleans__ServiceId"]);
            Assert.Equal(silo["Orleans__ClusterId"], env["Orleans__ClusterId"]);
        });
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Silos_read_and_write_on_the_archive_only_and_read_no_remote_scene(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var archive = Assert.Single(Claims(manifest.Silo("coordinator"))).MountPath;

        foreach (var silo in manifest.Silos())
        {
            await using var app = SiloHost.Build(manifest, silo);
            var inputs = app.Services.GetRequiredService<InputPolicy>();
            Assert.Equal([archive], inputs.Roots.Folders);
            Assert.Empty(inputs.AllowedHosts);
            Assert.Equal([archive], app.Services.GetRequiredService<OutputPolicy>().Roots.Folders);
            Assert.NotNull(inputs.Problem("/etc/hostname"));
            Assert.Null(inputs.Problem(archive + "/scenes/a.tif"));
        }
        Assert.All(BatchRuns(manifest), run => Assert.All(new[] { "--input", "--output" }, option =>
            Assert.StartsWith(archive + "/", Argument(run, option))));
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Input_and_output_lie_on_the_shared_archive_that_every_silo_mounts_at_the_same_path(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        Assert.All(BatchRuns(manifest), run => Assert.All(new[] { "--input", "--output" }, option =>
        {
            var path = Argument(run, option);
            var (claim, mountPath) = Assert.Single(Claims(run), c => path.StartsWith(c.MountPath + "/", StringComparison.Ordinal));
            Assert.Contains("ReadWriteMany", manifest.Get("PersistentVolumeClaim", claim)["spec"]!["accessModes"].Strings());
            Assert.All(manifest.Silos(), silo => Assert.Contains((claim, mountPath), Claims(silo)));
        }));
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Both_batch_runs_start_suspended_and_run_the_same_container(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var cron = manifest.OfKind("CronJob").Single();
        var job = manifest.OfKind("Job").Single();

        Assert.Equal("true", (string?)cron["spec"]!["suspend"]);
        Assert.Equal("true", (string?)job["spec"]!["suspend"]);
        Assert.Equal(job.PodTemplate()!["spec"]!["containers"]!.ToJsonString(), cron.PodTemplate()!["spec"]!["containers"]!.ToJsonString());
    }

    [Fact]
    public void The_client_has_a_batch_command_with_every_option_of_the_contract()
    {
        var options = ClientCli.Options(BatchCli.Command);

        Assert.NotNull(options);
        Assert.Superset(BatchCli.Contract.ToHashSet(), options.ToHashSet());
    }

    // The same parsing of help text, on a command that exists today: the check above is only as good as this.
    [Fact]
    public void The_help_reader_finds_the_options_of_the_real_client()
    {
        var options = ClientCli.Options("upscale");

        Assert.NotNull(options);
        Assert.Superset(new HashSet<string> { "--out", "--scale", "--model", "--help" }, options.ToHashSet());
    }

    static IEnumerable<Workload> BatchRuns(Manifest manifest) =>
        manifest.Workloads().Where(w => w.Object.Kind() is "Job" or "CronJob");

    static string Argument(Workload run, string option)
    {
        var args = run.Container["args"].Strings().ToList();
        return args[args.IndexOf(option) + 1];
    }

    static IEnumerable<(string Claim, string MountPath)> Claims(Workload workload)
    {
        var claims = workload.Pod["volumes"].Items()
            .Where(v => v["persistentVolumeClaim"] is not null)
            .ToDictionary(v => (string)v["name"]!, v => (string)v["persistentVolumeClaim"]!["claimName"]!);
        return workload.Container["volumeMounts"].Items()
            .Where(m => claims.ContainsKey((string)m["name"]!))
            .Select(m => (claims[(string)m["name"]!], (string)m["mountPath"]!));
    }
}
