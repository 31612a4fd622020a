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

    readonly Counter<long> _processed;
    readonly Counter<long> _failed;
    readonly UpDownCounter<long> _inFlight;
    readonly UpDownCounter<long> _queued;
    readonly Histogram<double> _modelDuration;

    public TileMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _processed = meter.CreateCounter<long>("pipeline.tiles.processed", "{tile}", "Tiles upscaled");
        _failed = meter.CreateCounter<long>("pipeline.tiles.failed", "{tile}", "Tiles whose model call threw");
        _inFlight = meter.CreateUpDownCounter<long>("pipeline.tiles.in_flight", "{tile}", "Tiles in the model now");
        _queued = meter.CreateUpDownCounter<long>("pipeline.tiles.queued", "{tile}", "Tiles waiting for an inference slot");
        _modelDuration = meter.CreateHistogram<double>("pipeline.tiles.model.duration", "ms", "Model time per tile");
    }

    /// <summary>Puts the untagged series on /metrics at zero before any tile, so dashboards and alerts see them from the start.</summary>
    public void Zero()
    {
        _inFlight.Add(0);
        _queued.Add(0);
    }

    public void Enqueued() => _queued.Add(1);

    public void Dequeued() => _queued.Add(-1);

    public void Started() => _inFlight.Add(1);

    public void Succeeded(string model, double milliseconds)
    {
        _inFlight.Add(-1);
        var tag = new KeyValuePair<string, object?>("model", model);
        _processed.Add(1, tag);
        _modelDuration.Record(milliseconds, tag);
    }

    public void Abandoned() => _inFlight.Add(-1);

    public void Failed(string model)
    {
        _inFlight.Add(-1);
        _failed.Add(1, new KeyValuePair<string, object?>("model", model));
    }
}
