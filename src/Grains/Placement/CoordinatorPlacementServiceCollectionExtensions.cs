using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace Pipeline.Grains.Placement;

public static class CoordinatorPlacementServiceCollectionExtensions
{
    /// <summary>Registers the coordinator-role placement filter. Every silo needs it: any silo may place a job,
    /// stitcher or writer.</summary>
    public static IServiceCollection AddCoordinatorSiloPlacementFilter(this IServiceCollection services) =>
        services.AddPlacementFilter<CoordinatorSiloPlacementFilterStrategy, CoordinatorSiloPlacementFilterDirector>(ServiceLifetime.Singleton);
}
