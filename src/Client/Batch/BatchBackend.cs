namespace Pipeline.Client.Batch;

/// <summary>Where a batch's scene jobs run: a silo embedded in this process (<see cref="EmbeddedBackend"/>) or a
/// cluster (<see cref="ClusterBackend"/>).</summary>
abstract class BatchBackend : IAsyncDisposable
{
    /// <summary>"embedded" or the cluster's description, for the report.</summary>
    public abstract string Description { get; }

    /// <summary>Jobs on an embedded silo die with this process, so nothing can be running under a job id there
    /// before this run submits it; on a cluster a job of a client that died may still be.</summary>
    public abstract bool Embedded { get; }

    /// <summary>The grains that run the scenes' jobs.</summary>
    public abstract IGrainFactory Grains { get; }

    public abstract ValueTask DisposeAsync();
}
