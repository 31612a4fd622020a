using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Pipeline.Grains.Telemetry;

/// <summary>
/// Scene-job instruments, on the same meter as <see cref="TileMetrics"/> (<see cref="TileMetrics.MeterName"/>), as the
/// job grains on this silo see them. Aggregates are counters without a job tag, so their series stay few however many
/// jobs run; per-job progress is a pair of gauges tagged <c>job</c>, reported only while the job runs on this silo.
/// </summary>
public sealed class JobMetrics
{
    readonly Counter<long> tilesDone;
    readonly Counter<long> tilesFailed;
    readonly Counter<long> tilesRecomputed;
    readonly Counter<long> blocksWritten;
    readonly Counter<long> jobsFinished;
    readonly UpDownCounter<long> jobsActive;
    readonly ConcurrentDictionary<string, JobProgress> running = new();

    public JobMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TileMetrics.MeterName);
        tilesDone = meter.CreateCounter<long>("pipeline.jobs.tiles.done", "{tile}", "Tiles whose contributions reached their stitchers");
        tilesFailed = meter.CreateCounter<long>("pipeline.jobs.tiles.failed", "{tile}", "Tile attempts that failed and were retried or failed the job (reason: tile or cluster)");
        tilesRecomputed = meter.CreateCounter<long>("pipeline.jobs.tiles.recomputed", "{tile}", "Done tiles sent again because their stitcher was lost");
        blocksWritten = meter.CreateCounter<long>("pipeline.jobs.blocks.written", "{block}", "Output blocks known to be in the output file");
        jobsFinished = meter.CreateCounter<long>("pipeline.jobs.finished", "{job}", "Jobs that ended (state: succeeded, failed, cancelled)");
        jobsActive = meter.CreateUpDownCounter<long>("pipeline.jobs.active", "{job}", "Jobs running on this silo");
        meter.CreateObservableGauge("pipeline.job.tiles.done", () => PerJob(progress => progress.Done), "{tile}", "Tiles done, per running job");
        meter.CreateObservableGauge("pipeline.job.tiles.total", () => PerJob(progress => progress.Total), "{tile}", "Tiles planned, per running job");
    }

    /// <summary>A job's run started on this silo; the per-job gauges report what the job sets on the returned
    /// progress until <see cref="Stopped"/>.</summary>
    public JobProgress Started(string jobId)
    {
        var progress = new JobProgress();
        if (running.TryAdd(jobId, progress)) jobsActive.Add(1);
        return progress;
    }

    public void Stopped(string jobId)
    {
        if (running.TryRemove(jobId, out _)) jobsActive.Add(-1);
    }

    /// <summary>Puts <c>pipeline.jobs.active</c> on /metrics at zero before any job.</summary>
    public void Zero() => jobsActive.Add(0);

    public void TileDone(string model) => tilesDone.Add(1, Model(model));

    public void TileFailed(string model, bool clusterFailure) =>
        tilesFailed.Add(1, Model(model), new KeyValuePair<string, object?>("reason", clusterFailure ? "cluster" : "tile"));

    public void TilesRecomputed(string model, int count)
    {
        if (count > 0) tilesRecomputed.Add(count, Model(model));
    }

    public void BlocksWritten(string model, int count)
    {
        if (count > 0) blocksWritten.Add(count, Model(model));
    }

    /// <param name="outcome">succeeded, failed or cancelled.</param>
    public void Finished(string model, string outcome) =>
        jobsFinished.Add(1, Model(model), new KeyValuePair<string, object?>("state", outcome));

    IEnumerable<Measurement<int>> PerJob(Func<JobProgress, int> value) =>
        running.Select(job => new Measurement<int>(value(job.Value), new KeyValuePair<string, object?>("job", job.Key)));

    static KeyValuePair<string, object?> Model(string model) => new("model", model);
}
