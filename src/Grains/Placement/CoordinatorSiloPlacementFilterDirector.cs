using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>
/// Keeps the candidate silos that declare the coordinator role, so that jobs, stitchers and writers stay off the
/// inference silos whenever the deployment has coordinators. A preference, not a requirement: a cluster of worker
/// silos only places these grains on any silo rather than refuse them. Registered as a singleton shared by all
/// placements: it holds no state of its own.
/// </summary>
internal sealed class CoordinatorSiloPlacementFilterDirector(ISiloMetadataCache metadataCache) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos) =>
        Prefer(silos.Select(silo => (silo, (IEnumerable<KeyValuePair<string, string>>)metadataCache.GetSiloMetadata(silo).Metadata)));

    /// <summary>The coordinators among the candidates; with none known, those not known to be workers, since a silo
    /// whose metadata has not reached this one yet (at the cluster's start) may be the coordinator; else all.</summary>
    internal static List<SiloAddress> Prefer(IEnumerable<(SiloAddress Silo, IEnumerable<KeyValuePair<string, string>> Metadata)> candidates)
    {
        var all = candidates.ToList();
        var coordinators = all.Where(c => SiloRoles.DeclaresCoordinator(c.Metadata)).Select(c => c.Silo).ToList();
        if (coordinators.Count > 0) return coordinators;
        var unknown = all.Where(c => !SiloRoles.DeclaresWorker(c.Metadata)).Select(c => c.Silo).ToList();
        return unknown.Count > 0 ? unknown : [.. all.Select(c => c.Silo)];
    }
}
