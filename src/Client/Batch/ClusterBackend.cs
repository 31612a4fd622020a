
namespace Pipeline.Client.Batch;

/// <summary>A running cluster: every scene's job goes to it, under the model the cluster runs.</summary>
sealed class ClusterBackend(ClusterConnection connection, string description) : BatchBackend
{
    public override string Description => description;

    public override bool Embedded => false;

    public static async Task<ClusterBackend> ConnectAsync(string? cluster, CancellationToken cancellation) =>
        new(await ClusterConnection.ConnectAsync(cluster, cancellation), cluster is null ? "cluster (environment)" : $"cluster {cluster}");

    public override IGrainFactory Grains => connection.Grains;

    public override ValueTask DisposeAsync() => connection.DisposeAsync();
}
