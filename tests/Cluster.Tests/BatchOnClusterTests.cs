namespace Pipeline.Cluster.Tests;

/// <summary>
/// <c>sr batch</c> as the Kubernetes Job runs it (a manifest, <c>--cluster &lt;redis&gt;</c>, the cluster identity from
/// <c>Orleans__*</c> variables) against three silo processes on Redis: the outputs are the embedded single-process
/// run's, tile for tile, and a batch client killed mid-run resumes when started again, following the jobs it had
/// submitted instead of starting them over. (Killing a silo: <see cref="SiloLossBatchTests"/>.)
/// </summary>
public sealed class BatchOnClusterTests(RedisClusterFixture shared) : IClassFixture<RedisClusterFixture>, IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("sr-batch-cluster-").FullName;

    [Fact]
    public async Task A_batch_on_three_silo_processes_writes_every_scene_as_the_embedded_run_and_counts_them_in_the_silos_metrics()
    {
        var manifest = Archive.Create(work, "archive-a");
        var output = Path.Combine(work, "out");

        var result = await Sr.RunAsync(Archive.BatchArguments(manifest, output, shared.Redis), shared.Cluster.ClientEnvironment, Archive.BatchTimeout);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var report = ReportFile.Read(Path.Combine(output, "batch-report.json"));
        Assert.Equal((4, 4, 0, 0), (report.Total, report.Done, report.Skipped, report.Failed));
        // Every scene measured against its input, and the batch's totals.
        Assert.All(report.Scenes, scene => Assert.True((double)scene["consistency"]!["inconsistencyPercent"]! > 0, scene.ToJsonString()));
        Assert.Contains("; consistency: ", result.Stdout);
        await Archive.AssertSameAsEmbeddedAsync(output);
        Assert.Equal(4, await shared.Cluster.MetricAsync("pipeline_scenes_finished_total", "batch=\"archive-a\"", "outcome=\"succeeded\""));
    }

    [Fact]
    public async Task A_batch_client_killed_mid_run_resumes_when_started_again_and_follows_the_jobs_it_had_submitted()
    {
        var manifest = Archive.Create(work, "archive-c");
        var output = Path.Combine(work, "out");
        var arguments = Archive.BatchArguments(manifest, output, shared.Redis, "--concurrency", "1");

        string[] before;
        await using (var first = Sr.Start(arguments, shared.Cluster.ClientEnvironment))
        {
            await Archive.WaitForFirstOutputAsync(output, first);
            first.Kill();
            await first.WaitAsync(TimeSpan.FromSeconds(30));
            before = Archive.Written(output);
        }
        var result = await Sr.RunAsync(arguments, shared.Cluster.ClientEnvironment, Archive.BatchTimeout);

        Assert.True(before.Length < Archive.Scenes.Length, "the client should have been killed while scenes were still to do");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var report = ReportFile.Read(Path.Combine(output, "batch-report.json"));
        Assert.Equal((4, 0), (report.Done + report.Skipped, report.Failed));
        Assert.All(before, scene => Assert.Equal("skipped", ReportFile.Status(report.Scene(Path.Combine(work, scene)))));
        Assert.True(report.Done >= 1, $"scenes left to do after the kill should have been done by the second run: {report}");
        await Archive.AssertSameAsEmbeddedAsync(output);
        // Each scene's job was submitted once over both runs: the second run followed the job the killed one had started.
        Assert.Equal(4, await shared.Cluster.MetricAsync("pipeline_scenes_submitted_total", "batch=\"archive-c\""));
    }

    [Fact]
    public async Task Status_json_tells_a_script_how_a_submitted_job_stands_and_ends()
    {
        var output = Path.Combine(work, "rgbnir-x2.tif");
        var submit = await Sr.RunAsync(["submit", TestScenes.LandsatRgbnir, "--out", output, "--scale", "2", "--model", "bicubic", "--cluster", shared.Redis.ConnectionString],
            shared.Cluster.ClientEnvironment);
        Assert.True(submit.ExitCode == 0, submit.Stdout + submit.Stderr);
        var id = submit.Stdout.Trim().Split('\n')[^1];

        var waited = await Sr.RunAsync(["status", id, "--wait", "--json", "--cluster", shared.Redis.ConnectionString], shared.Cluster.ClientEnvironment);
        var again = await Sr.RunAsync(["status", id, "--json", "--cluster", shared.Redis.ConnectionString], shared.Cluster.ClientEnvironment);
        var unknown = await Sr.RunAsync(["status", "no-such-job", "--json", "--cluster", shared.Redis.ConnectionString], shared.Cluster.ClientEnvironment);

        Assert.True(waited.ExitCode == 0, waited.Stdout + waited.Stderr);
        var status = System.Text.Json.Nodes.JsonNode.Parse(waited.Stdout)!;
        Assert.Equal((id, "succeeded", output), ((string)status["jobId"]!, (string)status["state"]!, (string)status["outputPath"]!));
        Assert.True((int)status["tilesTotal"]! > 0 && (int)status["tilesDone"]! == (int)status["tilesTotal"]!, waited.Stdout);
        Assert.Equal((int)status["blocksTotal"]!, (int)status["blocksWritten"]!);
        Assert.Equal(waited.Stdout, again.Stdout);
        var consistency = status["consistency"]!;
        Assert.True((double)consistency["inconsistencyPercent"]! > 0, waited.Stdout);
        Assert.True(File.Exists((string)consistency["map"]!), waited.Stdout);
        Assert.Equal(6, unknown.ExitCode);
        Assert.Equal("unknown", (string)System.Text.Json.Nodes.JsonNode.Parse(unknown.Stdout)!["state"]!);
        Assert.True(File.Exists(output));
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
