namespace Pipeline.Grains.Telemetry;

/// <summary>
/// A running job's tile counts as its grain last set them, for the per-job gauges. The metrics collector reads it
/// from its own thread; grain state itself may only be touched from the grain's context, so the grain copies the
/// counts here as it goes.
/// </summary>
public sealed class JobProgress
{
    int done;
    int total;

    public int Done => Volatile.Read(ref done);
    public int Total => Volatile.Read(ref total);

    public void Set(int tilesDone, int tilesTotal)
    {
        Volatile.Write(ref done, tilesDone);
        Volatile.Write(ref total, tilesTotal);
    }
}
