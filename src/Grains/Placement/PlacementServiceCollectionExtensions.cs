using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>The pipeline's three placement filters: worker role (a requirement), lane spread (after it), coordinator
/// role (a preference). Each is an attribute, a strategy and a director, the three types Orleans asks of a filter.</summary>
public static class PlacementServiceCollectionExtensions
{
    /// <summary>Registers all three. Every silo needs them: any silo may place a worker, job, stitcher or writer.</summary>
    public static IServiceCollection AddPipelinePlacementFilters(this IServiceCollection services) => services
        .AddPlacementFilter<WorkerSiloPlacementFilterStrategy, WorkerSiloPlacementFilterDirector>(ServiceLifetime.Singleton)
        .AddPlacementFilter<LaneSpreadPlacementFilterStrategy, LaneSpreadPlacementFilterDirector>(ServiceLifetime.Singleton)
        .AddPlacementFilter<CoordinatorSiloPlacementFilterStrategy, CoordinatorSiloPlacementFilterDirector>(ServiceLifetime.Singleton);
}
