using Pipeline.Grains.Messages;

namespace Pipeline.Grains.Workers;

/// <summary>
/// Super-resolves tiles on a worker silo. A stateless worker: get it with <see cref="TileWorkers.ForTile"/>,
/// which spreads a caller's tiles over the worker silos.
/// </summary>
public interface ITileWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>Waits for a model slot on the silo, runs the model on a scene job's tile and delivers its weighted
    /// contributions to the blocks' stitchers, so HR pixels go straight from worker to stitcher and the job only learns
    /// that the tile is in. The timeout covers a queue of several tiles on a slow CPU silo; a job keeps its own
    /// in-flight limit so queues stay short.</summary>
    [ResponseTimeout("00:05:00")]
    Task<TileOutcome> Contribute(TileTask task, CancellationToken cancellationToken = default);
}
