using Orleans.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>
/// Placement filter strategy: candidates are narrowed to silos whose metadata declares the
/// <see cref="SiloRoles.Coordinator"/> role when there are any, and left as they are otherwise. It carries no
/// settings; Orleans instantiates it by its parameterless constructor on every silo.
/// </summary>
public sealed class CoordinatorSiloPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);
