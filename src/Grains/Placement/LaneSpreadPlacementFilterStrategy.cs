using Orleans.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>
/// Placement filter strategy: of the candidates left by the filters before it, keeps the one silo that the grain's
/// key (a worker lane) maps to. Runs after <see cref="WorkerSiloPlacementFilterStrategy"/> (order 1).
/// </summary>
public sealed class LaneSpreadPlacementFilterStrategy() : PlacementFilterStrategy(order: 1);
