using Orleans.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>
/// Placement filter strategy: candidates are limited to silos whose metadata declares the
/// <see cref="SiloRoles.Worker"/> role. It carries no settings; Orleans instantiates it by its
/// parameterless constructor on every silo.
/// </summary>
public sealed class WorkerSiloPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);
