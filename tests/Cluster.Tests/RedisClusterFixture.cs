namespace Pipeline.Cluster.Tests;

/// <summary>Redis and three silo processes on it (membership, grain storage, reminders), shared by the batch tests
/// that leave every silo running.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    readonly string folder = Directory.CreateTempSubdirectory("sr-redis-cluster-").FullName;

    internal RedisServer Redis { get; private set; } = null!;
    internal SiloCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Cluster = await SiloCluster.StartAsync(3, SiloCluster.Redis(Redis.ConnectionString), folder);
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }
}
