using Pipeline.Grains.Messages;

namespace Pipeline.Grains.Workers;

/// <summary>
/// Super-resolves tiles on a worker silo. A stateless worker: the key names a pool, not an instance,
/// so callers use <see cref="PoolKey"/> and Orleans spreads the calls over the worker silos.
/// </summary>
public interface ITileWorkerGrain : IGrainWithIntegerKey
{
    const long PoolKey = 0;

    /// <summary>Waits for a model slot on the silo, then runs the model on the tile. The timeout covers a queue
    /// of several tiles on a slow CPU silo; a job keeps its own in-flight limit so queues stay short.</summary>
    [ResponseTimeout("00:05:00")]
    Task<TileResult> Upscale(TileRequest request, CancellationToken cancellationToken = default);
}
