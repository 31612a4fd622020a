using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace Pipeline.Grains.Placement;

public static class WorkerPlacementServiceCollectionExtensions
{
    /// <summary>Registers the worker-role placement filter and the lane spread that follows it. Every silo needs them:
    /// any silo may place a worker.</summary>
    public static IServiceCollection AddWorkerSiloPlacementFilter(this IServiceCollection services) => services
        .AddPlacementFilter<WorkerSiloPlacementFilterStrategy, WorkerSiloPlacementFilterDirector>(ServiceLifetime.Singleton)
        .AddPlacementFilter<LaneSpreadPlacementFilterStrategy, LaneSpreadPlacementFilterDirector>(ServiceLifetime.Singleton);
}
