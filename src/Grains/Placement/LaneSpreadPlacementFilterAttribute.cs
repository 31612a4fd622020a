using Orleans.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>Spreads a stateless worker's keys evenly over its candidate silos, whoever calls
/// (see <see cref="LaneSpreadPlacementFilterDirector"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class LaneSpreadPlacementFilterAttribute() : PlacementFilterAttribute(new LaneSpreadPlacementFilterStrategy());
