using Pipeline.Imaging.Tiling;

namespace Pipeline.Client.Batch;

/// <summary>Where a batch's scene jobs run: silos embedded in this process (<see cref="EmbeddedBackend"/>) or a
/// cluster (<see cref="ClusterBackend"/>).</summary>
abstract class BatchBackend : IAsyncDisposable
{
    /// <summary>"embedded" or the cluster's description, for the report.</summary>
    public abstract string Description { get; }

    /// <summary>Jobs on an embedded silo die with this process, so nothing can be running under a job id there
    /// before this run submits it; on a cluster a job of a client that died may still be.</summary>
    public abstract bool Embedded { get; }

    /// <summary>The grains that run <paramref name="input"/>'s job, and the tiling its model needs (null: the
    /// command line's), held until the lease is disposed.</summary>
    public abstract Task<SceneLease> AcquireAsync(string input, CancellationToken cancellation);

    public abstract ValueTask DisposeAsync();
}

sealed class SceneLease(IGrainFactory grains, TilingOptions? tiling, Action? release = null) : IDisposable
{
    public IGrainFactory Grains { get; } = grains;
    public TilingOptions? Tiling { get; } = tiling;

    public void Dispose() => release?.Invoke();
}
