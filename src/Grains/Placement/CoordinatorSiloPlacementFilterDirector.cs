using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>
/// Keeps the candidate silos that declare the coordinator role, so that jobs, stitchers and writers stay off the
/// inference silos whenever the deployment has coordinators. A preference, not a requirement: a cluster of worker
/// silos only (or one whose metadata has not been gossiped yet) places these grains on any silo rather than refuse
/// them. Registered as a singleton shared by all placements: it holds no state of its own.
/// </summary>
internal sealed class CoordinatorSiloPlacementFilterDirector(ISiloMetadataCache metadataCache) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos.ToList();
        var coordinators = candidates.Where(silo => SiloRoles.DeclaresCoordinator(metadataCache.GetSiloMetadata(silo).Metadata)).ToList();
        return coordinators.Count > 0 ? coordinators : candidates;
    }
}
