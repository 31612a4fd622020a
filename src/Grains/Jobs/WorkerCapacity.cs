using Orleans.Runtime.MembershipService.SiloMetadata;
using Pipeline.Grains.Placement;

namespace Pipeline.Grains.Jobs;

/// <summary>
/// How many tiles a job keeps in flight when its spec leaves it open: two per inference slot on the active worker
/// silos (one running, one queued so a slot never idles between tiles). A silo's slots are its declared GPUs, or
/// for a CPU worker this silo's processor count (CPU workers of one deployment are alike). This caps what the job,
/// the workers' queues and the open stitchers hold, however large the scene.
/// </summary>
public static class WorkerCapacity
{
    public static int TilesInFlight(ClusterMembershipSnapshot cluster, ISiloMetadataCache metadata)
    {
        var slots = 0;
        foreach (var member in cluster.Members.Values)
        {
            if (member.Status != SiloStatus.Active) continue;
            var declared = metadata.GetSiloMetadata(member.SiloAddress).Metadata;
            if (!SiloRoles.DeclaresWorker(declared)) continue;
            var gpus = SiloRoles.GpuCount(declared);
            slots += gpus > 0 ? gpus : Environment.ProcessorCount;
        }
        // With no worker known (yet) keep a couple of tiles going: they wait for a worker through retries.
        return Math.Max(2, 2 * slots);
    }
}
