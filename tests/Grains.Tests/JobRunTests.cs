using Pipeline.Imaging.Access;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Grains.Jobs;
using Pipeline.Grains.Planning;
using Pipeline.Grains.Telemetry;
using Pipeline.Imaging;

namespace Pipeline.Grains.Tests;

/// <summary>The job's state machine without a cluster: a real scene is planned and its tiles read, and an
/// <see cref="InMemoryJobCluster"/> plays workers, stitchers and writer, with the faults each test injects.</summary>
public sealed class JobRunTests : IDisposable
{
    static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    readonly SceneFiles files = new();
    readonly TilePlanCache plans = new();
    readonly InMemoryJobCluster cluster;
    readonly SceneJobManifest manifest = new();

    public JobRunTests() => cluster = new InMemoryJobCluster(plans, files.Folder);

    SceneJobSpec Spec => new(SharedScenes.LandsatRgbnir, files.File("out.tif"), 2, "bicubic");

    JobRun NewRun() => new("job", manifest, cluster, plans, new BicubicUpscaler(), new JobMetrics(Meters), new SceneMetrics(Meters), InputPolicy.NoRemoteInputs, NullLogger.Instance);

    int TileCount => plans.Get(manifest.Plan!).Tiles.Count;

    async Task<JobRun> RunToEndAsync()
    {
        var run = NewRun();
        await run.AcceptAsync(Spec);
        run.Start();
        await run.Pump.WaitAsync(TimeSpan.FromMinutes(1));
        return run;
    }

    [Fact]
    public async Task A_job_sends_every_tile_once_and_commits_its_one_generation()
    {
        var status = (await RunToEndAsync()).Status();

        Assert.Equal(JobState.Succeeded, status.State);
        Assert.True(TileCount > 9);
        Assert.Equal(Enumerable.Range(0, TileCount), cluster.Delivered.Select(d => d.Tile).Order());
        Assert.Equal([1], cluster.Commits);
        Assert.Equal((status.TilesTotal, status.BlocksTotal), (status.TilesDone, status.BlocksWritten));
        Assert.Equal(0, status.TileFailures);
        Assert.Null(manifest.TemporaryPath);
        Assert.True(cluster.KeptAlive);
        Assert.True(cluster.Released);
        Assert.False(cluster.Aborted);
    }

    [Fact]
    public async Task A_tile_failing_once_is_sent_again_and_the_job_succeeds()
    {
        cluster.BeforeContribute = (task, attempt) => task.TileIndex == 3 && attempt == 1 ? throw new InvalidOperationException("transient") : Task.CompletedTask;

        var status = (await RunToEndAsync()).Status();

        Assert.Equal(JobState.Succeeded, status.State);
        Assert.Equal(1, status.TileFailures);
        Assert.Equal(2, cluster.Attempts[3]);
    }

    [Fact]
    public async Task A_tile_that_keeps_failing_fails_the_job_naming_the_input_and_releases_writer_and_stitchers()
    {
        cluster.BeforeContribute = (task, _) => task.TileIndex == 3 ? throw new InvalidOperationException("bad pixels") : Task.CompletedTask;

        var status = (await RunToEndAsync()).Status();

        Assert.Equal(JobState.Failed, status.State);
        Assert.Equal($"{SharedScenes.LandsatRgbnir}: bad pixels (tile 3, 3 attempts)", status.Error);
        Assert.Equal(3, cluster.Attempts[3]);
        Assert.True(cluster.Aborted);
        Assert.NotEmpty(cluster.Discarded);
        Assert.Empty(cluster.Commits);
        Assert.True(cluster.Released);
    }

    [Fact]
    public async Task Cluster_failures_are_retried_without_counting_against_the_tile_limit()
    {
        cluster.BeforeContribute = (task, attempt) => task.TileIndex == 0 && attempt <= 3 ? throw new TimeoutException("silo gone") : Task.CompletedTask;

        var status = (await RunToEndAsync()).Status();

        Assert.Equal(JobState.Succeeded, status.State);
        Assert.Equal(3, status.TileFailures);
        Assert.Equal(4, cluster.Attempts[0]);
    }

    [Fact]
    public async Task A_lost_writer_starts_a_new_generation_that_sends_every_tile_again()
    {
        cluster.BeforeContribute = (task, _) =>
        {
            if (task.TileIndex == 6 && task.Context.Generation == 1) cluster.LoseWriter();
            return Task.CompletedTask;
        };

        var status = (await RunToEndAsync()).Status();

        Assert.Equal(JobState.Succeeded, status.State);
        Assert.Equal(2, status.Generation);
        Assert.Equal([1, 2], cluster.Generations);
        Assert.Equal([2], cluster.Commits);
        Assert.Equal(Enumerable.Range(0, TileCount), cluster.Delivered.Where(d => d.Generation == 2).Select(d => d.Tile).Order());
    }

    [Fact]
    public async Task Tiles_whose_stitcher_died_with_a_silo_are_found_and_sent_again()
    {
        var lost = false;
        cluster.BeforeContribute = (task, _) =>
        {
            if (task.TileIndex == 8 && !lost)
            {
                lost = true;
                cluster.LoseStitchers();
            }
            return Task.CompletedTask;
        };

        var status = (await RunToEndAsync()).Status();

        Assert.Equal(JobState.Succeeded, status.State);
        Assert.True(status.TilesRecomputed > 0);
        Assert.Equal(1, status.Generation);
        Assert.Equal(TileCount + status.TilesRecomputed, cluster.Delivered.Count);
        Assert.Equal((status.BlocksTotal, status.TilesTotal), (status.BlocksWritten, status.TilesDone));
    }

    [Fact]
    public async Task A_resumed_job_reconciles_first_and_sends_only_the_tiles_not_done()
    {
        var first = NewRun();
        var halfway = new TaskCompletionSource();
        cluster.BeforeContribute = async (task, _) =>
        {
            if (task.TileIndex < 10) return;
            halfway.TrySetResult();
            await Task.Delay(Timeout.Infinite);
        };
        await first.AcceptAsync(Spec);
        first.Start();
        await halfway.Task.WaitAsync(TimeSpan.FromMinutes(1));
        while (manifest.DoneTiles.Count < 10) await Task.Delay(20);
        // The silo went down: the pump stops with tiles in flight; the manifest is what was last saved.
        await first.Stop();
        Assert.Equal(JobState.Running, manifest.State);
        var sentBefore = cluster.Delivered.Count;

        cluster.BeforeContribute = (_, _) => Task.CompletedTask;
        var resumed = NewRun();
        resumed.Start();
        await resumed.Pump.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(JobState.Succeeded, manifest.State);
        Assert.Equal(10, sentBefore);
        Assert.Equal(Enumerable.Range(10, TileCount - 10), cluster.Delivered.Skip(sentBefore).Select(d => d.Tile).Order());
        Assert.Equal([1], cluster.Commits);
    }

    [Fact]
    public async Task Cancelling_stops_the_pump_aborts_the_writer_and_discards_the_open_stitchers()
    {
        var held = new TaskCompletionSource();
        cluster.BeforeContribute = async (task, _) =>
        {
            if (task.TileIndex < 5) return;
            held.TrySetResult();
            await Task.Delay(Timeout.Infinite);
        };
        var run = NewRun();
        await run.AcceptAsync(Spec);
        run.Start();
        await held.Task.WaitAsync(TimeSpan.FromMinutes(1));

        await run.CancelAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(JobState.Cancelled, run.Status().State);
        Assert.True(run.Pump.IsCompleted);
        Assert.True(cluster.Aborted);
        Assert.NotEmpty(cluster.Discarded);
        Assert.Empty(cluster.Commits);
        Assert.Null(manifest.TemporaryPath);
        Assert.True(cluster.Released);
    }

    public void Dispose() => files.Dispose();
}
