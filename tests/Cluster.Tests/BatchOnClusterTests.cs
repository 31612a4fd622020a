namespace Pipeline.Cluster.Tests;

/// <summary>
/// <c>sr batch</c> as the Kubernetes Job runs it (a manifest, <c>--cluster &lt;redis&gt;</c>, the cluster identity from
/// <c>Orleans__*</c> variables) against three silo processes on Redis: the outputs are the embedded single-process
/// run's, tile for tile; they stay so when a silo process is SIGKILLed mid-batch; and a batch client killed mid-run
/// resumes when started again, following the jobs it had submitted instead of starting them over.
/// </summary>
public sealed class BatchOnClusterTests(RedisClusterFixture shared) : IClassFixture<RedisClusterFixture>, IDisposable
{
    static readonly TimeSpan BatchTimeout = TimeSpan.FromMinutes(5);
    readonly string work = Directory.CreateTempSubdirectory("sr-batch-cluster-").FullName;

    [Fact]
    public async Task A_batch_on_three_silo_processes_writes_every_scene_as_the_embedded_run_and_counts_them_in_the_silos_metrics()
    {
        var manifest = Archive.Create(work, "archive-a");
        var output = Path.Combine(work, "out");

        var result = await Sr.RunAsync(BatchArguments(manifest, output, shared.Redis), shared.Cluster.ClientEnvironment, BatchTimeout);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var report = ReportFile.Read(Path.Combine(output, "batch-report.json"));
        Assert.Equal((4, 4, 0, 0), (report.Total, report.Done, report.Skipped, report.Failed));
        await Archive.AssertSameAsEmbeddedAsync(output);
        Assert.Equal(4, await shared.Cluster.MetricAsync("pipeline_scenes_finished_total", "batch=\"archive-a\"", "outcome=\"succeeded\""));
    }

    [Fact]
    public async Task Every_scene_completes_as_in_the_embedded_run_when_a_silo_process_is_killed_mid_batch()
    {
        var folder = Path.Combine(work, "cluster");
        Directory.CreateDirectory(folder);
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await SiloCluster.StartAsync(3, SiloCluster.Redis(redis.ConnectionString), folder);
        var manifest = Archive.Create(work, "archive-b");
        var output = Path.Combine(work, "out");

        await using var client = Sr.Start(BatchArguments(manifest, output, redis), cluster.ClientEnvironment, Path.Combine(folder, "client.log"));
        var before = await WaitForFirstOutputAsync(output, client);
        cluster.Silos[1].Kill();
        int exitCode;
        try
        {
            exitCode = await client.WaitAsync(BatchTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{cluster.LogTails()}\n{cluster.KeepLogs()}", e);
        }

        Assert.True(before.Length < Archive.Scenes.Length, "the silo should have been killed while scenes were still running");
        Assert.True(exitCode == 0, $"{client.Stdout}{client.Stderr}\n{cluster.LogTails()}\n{(exitCode == 0 ? "" : cluster.KeepLogs())}");
        Assert.True(cluster.Silos[1].HasExited);
        var report = ReportFile.Read(Path.Combine(output, "batch-report.json"));
        Assert.Equal((4, 0), (report.Done, report.Failed));
        await Archive.AssertSameAsEmbeddedAsync(output);
    }

    [Fact]
    public async Task A_batch_client_killed_mid_run_resumes_when_started_again_and_follows_the_jobs_it_had_submitted()
    {
        var manifest = Archive.Create(work, "archive-c");
        var output = Path.Combine(work, "out");
        var arguments = BatchArguments(manifest, output, shared.Redis, "--concurrency", "1");

        string[] before;
        await using (var first = Sr.Start(arguments, shared.Cluster.ClientEnvironment))
        {
            await WaitForFirstOutputAsync(output, first);
            first.Kill();
            await first.WaitAsync(TimeSpan.FromSeconds(30));
            before = Archive.Written(output);
        }
        var result = await Sr.RunAsync(arguments, shared.Cluster.ClientEnvironment, BatchTimeout);

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

    static string[] BatchArguments(string manifest, string output, RedisServer redis, params string[] more) =>
        ["batch", "--input", manifest, "--output", output, "--scale", Archive.Scale, "--cluster", redis.ConnectionString, "--model", "bicubic", .. more];

    /// <summary>Waits until the batch has written its first output and returns what is written at that moment.</summary>
    static async Task<string[]> WaitForFirstOutputAsync(string output, ChildProcess client)
    {
        var deadline = DateTime.UtcNow + BatchTimeout;
        while (Archive.Written(output) is { Length: 0 })
        {
            if (client.HasExited) throw new InvalidOperationException($"the batch ended ({client.ExitCode}) before any output:\n{client.Stdout}{client.Stderr}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no output within {BatchTimeout}:\n{client.Stdout}{client.Stderr}");
            await Task.Delay(50);
        }
        return Archive.Written(output);
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
