using Orleans.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>Places the grain only on silos that declare the worker role (see <see cref="SiloRoles"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class WorkerSiloPlacementFilterAttribute() : PlacementFilterAttribute(new WorkerSiloPlacementFilterStrategy());
