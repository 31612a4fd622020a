using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>
/// Keeps the candidate silos that declare the worker role. The built-in metadata filters compare
/// candidates with the calling silo's metadata (and a client has none), so they cannot say
/// "this silo is a worker"; this one reads each candidate's own metadata.
/// Registered as a singleton shared by all placements: it holds no state of its own.
/// </summary>
internal sealed class WorkerSiloPlacementFilterDirector(ISiloMetadataCache metadataCache) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var workers = silos.Where(silo => SiloRoles.DeclaresWorker(metadataCache.GetSiloMetadata(silo).Metadata)).ToList();
        // A hard requirement: running inference on a coordinator silo would break the deployment's sizing.
        return workers.Count > 0 ? workers : throw new NoWorkerSiloException(target.GrainIdentity.Type.ToString());
    }
}
