using Orleans.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>Places the grain on a silo that declares the coordinator role when one is active, otherwise on any silo
/// (see <see cref="CoordinatorSiloPlacementFilterDirector"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CoordinatorSiloPlacementFilterAttribute() : PlacementFilterAttribute(new CoordinatorSiloPlacementFilterStrategy());
