using Pipeline.Imaging;
using System.Diagnostics.Metrics;

namespace Pipeline.Grains.Telemetry;

/// <summary>
/// The silo's tile-inference instruments, on the meter <see cref="MeterName"/>. Tiles per second is the
/// rate of <c>pipeline.tiles.processed</c>; queue depth is the tiles waiting for an inference slot.
/// Created through <see cref="IMeterFactory"/> so each silo (several share a process in tests) has its own.
/// </summary>
public sealed class TileMetrics
{
    public const string MeterName = "Pipeline.Tiles";

    readonly Counter<long> processed;
    readonly Counter<long> failed;
    readonly UpDownCounter<long> inFlight;
    readonly UpDownCounter<long> queued;
    readonly Histogram<double> modelDuration;

    public TileMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        processed = meter.CreateCounter<long>("pipeline.tiles.processed", "{tile}", "Tiles upscaled");
        failed = meter.CreateCounter<long>("pipeline.tiles.failed", "{tile}", "Tiles whose model call threw");
        inFlight = meter.CreateUpDownCounter<long>("pipeline.tiles.in_flight", "{tile}", "Tiles in the model now");
        queued = meter.CreateUpDownCounter<long>("pipeline.tiles.queued", "{tile}", "Tiles waiting for an inference slot");
        modelDuration = meter.CreateHistogram<double>("pipeline.tiles.model.duration", "ms", "Model time per tile");
        meter.CreateObservableCounter("pipeline.stage.cpu",
            () => PipelineStages.Seconds().Select(stage => new Measurement<double>(stage.Value, new KeyValuePair<string, object?>("stage", stage.Key.ToString().ToLowerInvariant()))),
            "s", "CPU time of this silo's threads in each stage of its jobs (read, model, measure, blend, encode, place, layout)");
    }

    /// <summary>Puts the untagged series on /metrics at zero before any tile, so dashboards and alerts see them from the start.</summary>
    public void Zero()
    {
        inFlight.Add(0);
        queued.Add(0);
    }

    public void Enqueued() => queued.Add(1);

    public void Dequeued() => queued.Add(-1);

    public void Started() => inFlight.Add(1);

    public void Succeeded(string model, double milliseconds)
    {
        inFlight.Add(-1);
        var tag = new KeyValuePair<string, object?>("model", model);
        processed.Add(1, tag);
        modelDuration.Record(milliseconds, tag);
    }

    public void Abandoned() => inFlight.Add(-1);

    public void Failed(string model)
    {
        inFlight.Add(-1);
        failed.Add(1, new KeyValuePair<string, object?>("model", model));
    }
}
