using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Pipeline.Grains.Telemetry;

/// <summary>
/// Scene jobs on this silo, on the meter <see cref="MeterName"/>: jobs submitted and finished (by outcome), their
/// duration, and the jobs running here now. Labelled with the job's batch (the archive run it belongs to, or
/// "none"), so an archive's progress reads straight off Prometheus: finished{outcome="succeeded"} per batch.
/// A job that moves to another silo after a crash finishes there; summed over silos, every job counts once.
/// </summary>
public sealed class SceneMetrics
{
    public const string MeterName = "Pipeline.Scenes";

    readonly Counter<long> submitted;
    readonly Counter<long> finished;
    readonly Histogram<double> duration;
    readonly Histogram<double> inconsistency;
    readonly Counter<long> flagged;
    readonly ConcurrentDictionary<string, string> running = new();

    public SceneMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        submitted = meter.CreateCounter<long>("pipeline.scenes.submitted", "{scene}", "Scene jobs submitted");
        finished = meter.CreateCounter<long>("pipeline.scenes.finished", "{scene}", "Scene jobs ended, by outcome (succeeded, failed, cancelled)");
        duration = meter.CreateHistogram<double>("pipeline.scenes.duration", "s", "Scene job time from submission to its end");
        inconsistency = meter.CreateHistogram<double>("pipeline.scenes.inconsistency", "%",
            "Committed outputs' inconsistency with their input (mean |degraded output − input|, percent of the scene's range)");
        flagged = meter.CreateCounter<long>("pipeline.scenes.flagged", "{scene}", "Committed outputs whose consistency figures are over a threshold");
        meter.CreateObservableGauge("pipeline.scenes.running", () => running
            .GroupBy(job => job.Value)
            .Select(batch => new Measurement<int>(batch.Count(), new KeyValuePair<string, object?>("batch", batch.Key))),
            "{scene}", "Scene jobs running on this silo now");
    }

    /// <summary>Puts the scene counters of single scenes (batch "none") on /metrics at zero before any job, every
    /// outcome included, so rates and alerts work from the start.</summary>
    public void Zero()
    {
        submitted.Add(0, Batch(null));
        flagged.Add(0, Batch(null));
        foreach (var outcome in (string[])["succeeded", "failed", "cancelled"])
            finished.Add(0, Batch(null), new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void Submitted(string? batch) => submitted.Add(1, Batch(batch));

    /// <summary>The job's work loop started on this silo (after a submission, or resuming after a crash).</summary>
    public void Running(string jobId, string? batch) => running[jobId] = batch ?? "none";

    /// <summary>The job's work loop on this silo stopped (finished, or the activation went away).</summary>
    public void Stopped(string jobId) => running.TryRemove(jobId, out _);

    public void Finished(string? batch, string outcome, TimeSpan elapsed)
    {
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        finished.Add(1, Batch(batch), outcomeTag);
        duration.Record(elapsed.TotalSeconds, Batch(batch), outcomeTag);
    }

    /// <summary>A scene's output was measured against its input (once, when its file is committed).</summary>
    public void Measured(string? batch, Imaging.Consistency.SceneConsistency figures)
    {
        inconsistency.Record(figures.Inconsistency, Batch(batch));
        flagged.Add(figures.Flagged ? 1 : 0, Batch(batch));
    }

    static KeyValuePair<string, object?> Batch(string? batch) => new("batch", batch ?? "none");
}
