using Pipeline.Grains.Messages;
using Pipeline.Grains.Stitching;
using Pipeline.Grains.Writing;

namespace Pipeline.Grains.Jobs;

/// <summary>
/// Everything a <see cref="JobRun"/> needs from outside itself: the job's writer, stitchers and workers, what the
/// cluster looks like, and the job's own persistence and keep-alive. <see cref="GrainJobCluster"/> is the Orleans
/// side; the state machine's tests drive it with an in-memory one.
/// </summary>
public interface IJobCluster
{
    /// <summary>Starts a generation's output file; returns its temporary path.</summary>
    Task<string> OpenWriter(WriterSetup setup);

    Task<WriterProgress> GetWriterProgress(int generation);

    Task<WriterReport> Commit(int generation);

    Task AbortWriter();

    /// <summary>Sends a tile to a worker, which runs the model and delivers its contributions to the stitchers.</summary>
    Task<TileOutcome> Contribute(TileTask task, CancellationToken cancellation);

    Task<StitchProgress> GetStitcherProgress(int generation, int block);

    Task DiscardStitcher(int generation, int block);

    /// <summary>Tiles the workers can take at once: <see cref="WorkerCapacity.TilesInFlight"/>.</summary>
    int WorkerSlots { get; }

    /// <summary>Silos declared dead so far; a rise means grains (and what they held) may be gone.</summary>
    int DeadSilos { get; }

    /// <summary>Persists the manifest.</summary>
    Task SaveAsync();

    /// <summary>Makes sure something revives the job should its silo die (without waiting on it).</summary>
    void KeepAlive();

    /// <summary>The job is over: nothing needs to revive it.</summary>
    Task ReleaseKeepAliveAsync();
}
