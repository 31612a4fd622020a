using System.Net.Sockets;

namespace Pipeline.Grains.Jobs;

/// <summary>
/// How every part of the system retries: the job (a tile's own failures, the cluster's failures, reconciliations that
/// find nothing), the batch (earlier jobs of one scene), the job follower and the client's connection. Carried in the
/// job spec, so that a job retries the way its submitter asked wherever it is activated. The one definition of what
/// counts as a transient cluster failure is <see cref="IsTransient"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Times a tile may fail for a reason of its own (the model, a read) before the job fails.</summary>
    [Id(0)] public int TileAttempts { get; init; } = 3;

    /// <summary>Transient cluster failures a tile, or one step of the job, may see before the job fails: with the
    /// backoff up to <see cref="MaxBackoff"/>, minutes, enough for a silo to be declared dead and its grains to move.</summary>
    [Id(1)] public int ClusterAttempts { get; init; } = 40;

    /// <summary>Worker processes a tile may take down (a native crash, an OOM kill) before the job fails: a poison tile
    /// would otherwise be retried on every silo in turn, and a scene of them take down the whole cluster.</summary>
    [Id(8)] public int WorkerCrashes { get; init; } = 3;

    /// <summary>How long a tile whose worker's connection was lost waits for the cluster to declare that silo dead (or
    /// not) before it is sent again: sent at once, it could kill another worker before the first death is counted.</summary>
    [Id(9)] public TimeSpan DeathVerdictPatience { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Wait after a first failure; doubled per further failure up to <see cref="MaxBackoff"/>.</summary>
    [Id(2)] public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    [Id(3)] public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a client's calls may fail while the cluster notices a lost silo and moves its grains (the
    /// batch's submissions and the follower's polls).</summary>
    [Id(4)] public TimeSpan ClusterPatience { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a client waits for a gateway before it reports the cluster unreachable.</summary>
    [Id(5)] public TimeSpan ConnectPatience { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Reconciliations that find nothing to redo while blocks are still missing before the job fails.</summary>
    [Id(6)] public int FruitlessReconciliations { get; init; } = 20;

    /// <summary>Earlier jobs of one scene (each ended without a usable output) after which a batch gives it up.</summary>
    [Id(7)] public int SceneAttempts { get; init; } = 100;

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1 = the first).</summary>
    public TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Clamp(failures - 1, 0, 16)));

    /// <summary>A failure of the cluster, not of the work: a silo going away, a call timing out or cut short while
    /// grains move, a gateway not answering yet. Worth retrying while <paramref name="stop"/> is not requested.</summary>
    public static bool IsTransient(Exception e, CancellationToken stop = default) =>
        !stop.IsCancellationRequested && e is OrleansException or TimeoutException or SocketException or OperationCanceledException;

    /// <exception cref="ArgumentException">A count below one.</exception>
    public void Validate()
    {
        if (TileAttempts < 1) throw new ArgumentException($"a tile needs at least one attempt, got {TileAttempts}");
        if (ClusterAttempts < 1 || FruitlessReconciliations < 1 || SceneAttempts < 1 || WorkerCrashes < 1)
            throw new ArgumentException($"retry counts must be at least one, got {this}");
    }
}
