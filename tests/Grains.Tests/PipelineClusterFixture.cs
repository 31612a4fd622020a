namespace Pipeline.Grains.Tests;

/// <summary>One <see cref="PipelineCluster"/> shared by the scene-job tests that do not kill silos.</summary>
public sealed class PipelineClusterFixture : IAsyncLifetime
{
    internal PipelineCluster Pipeline { get; private set; } = null!;

    public async Task InitializeAsync() => Pipeline = await PipelineCluster.StartAsync();

    public async Task DisposeAsync() => await Pipeline.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PipelineClusterCollection : ICollectionFixture<PipelineClusterFixture>
{
    public const string Name = "pipeline cluster";
}
