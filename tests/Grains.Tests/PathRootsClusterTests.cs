using Pipeline.Grains.Jobs;

namespace Pipeline.Grains.Tests;

/// <summary>A silo whose Pipeline:Inputs:Roots and Pipeline:Outputs:Roots are set reads and writes only there: a job
/// whose input or output resolves elsewhere (a link, <c>..</c>, /proc) is refused at submit in one line, and a job
/// inside runs as any other.</summary>
public sealed class PathRootsClusterTests : IAsyncLifetime
{
    readonly SceneFiles files = new();
    string Inputs => files.File("in");
    string Outputs => files.File("out");
    PipelineCluster cluster = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Inputs);
        Directory.CreateDirectory(Outputs);
        File.Copy(SharedScenes.LandsatRgbnir, Path.Combine(Inputs, "scene.tif"));
        cluster = await PipelineCluster.StartAsync(1, new Dictionary<string, string?>
        {
            ["Pipeline:Inputs:Roots:0"] = Inputs,
            ["Pipeline:Outputs:Roots:0"] = Outputs,
        });
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        files.Dispose();
    }

    Task<SceneJobStatus> Submit(string input, string output) =>
        cluster.Job($"job-{Guid.NewGuid():N}").Submit(new SceneJobSpec(input, output, 2, "bicubic"));

    [Fact]
    public async Task Jobs_outside_the_roots_are_refused_at_submit_and_jobs_inside_run()
    {
        var scene = Path.Combine(Inputs, "scene.tif");
        File.CreateSymbolicLink(Path.Combine(Inputs, "escape.tif"), SharedScenes.LandsatRgbnir);
        Directory.CreateSymbolicLink(Path.Combine(Outputs, "elsewhere"), files.Folder);

        async Task<string> Refused(string input, string output) =>
            (await Assert.ThrowsAsync<ArgumentException>(() => Submit(input, output))).Message;

        Assert.Equal($"{SharedScenes.LandsatRgbnir}: is outside Pipeline:Inputs:Roots ({Inputs})",
            await Refused(SharedScenes.LandsatRgbnir, Path.Combine(Outputs, "a.tif")));
        Assert.Equal($"{Inputs}/escape.tif: is outside Pipeline:Inputs:Roots ({Inputs}): it is {Path.GetFullPath(SharedScenes.LandsatRgbnir)}",
            await Refused(Path.Combine(Inputs, "escape.tif"), Path.Combine(Outputs, "b.tif")));
        Assert.StartsWith("/proc/self/environ: is outside Pipeline:Inputs:Roots", await Refused("/proc/self/environ", Path.Combine(Outputs, "c.tif")));
        Assert.Equal($"{Outputs}/elsewhere/d.tif: is outside Pipeline:Outputs:Roots ({Outputs}): it is {files.Folder}/d.tif",
            await Refused(scene, Path.Combine(Outputs, "elsewhere", "d.tif")));
        Assert.StartsWith($"{Outputs}/../e.tif: is outside Pipeline:Outputs:Roots", await Refused(scene, Outputs + "/../e.tif"));
        Assert.False(File.Exists(files.File("d.tif")) || File.Exists(files.File("e.tif")));

        var id = $"job-{Guid.NewGuid():N}";
        var inside = Path.Combine(Outputs, "scene-x2.tif");
        await cluster.Job(id).Submit(new SceneJobSpec(scene, inside, 2, "bicubic"));
        JobAssertions.Completed(await cluster.WaitForEndAsync(id));
        Assert.True(File.Exists(inside));
    }
}
