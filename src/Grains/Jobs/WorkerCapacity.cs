using Orleans.Runtime.MembershipService.SiloMetadata;
using Pipeline.Grains.Placement;
using Pipeline.Imaging.GeoTiff;

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

    /// <summary>What tiles in flight may hold when a scene has many bands: each holds its HR pixels about three
    /// times over (the model's output, its contributions, their message parts), (bands + 1) float32 planes each.</summary>
    public const long ManyBandTileBudget = 512L << 20;

    /// <summary>
    /// <paramref name="slotsLimit"/>, lowered for band-interleaved scenes (more than
    /// <see cref="BandLayout.MaxPixelInterleavedBands"/> bands) so that tiles in flight stay within
    /// <see cref="ManyBandTileBudget"/>: a 290² HR tile of 200 bands is 67 MB a copy. Never below 2 unless the slots allow fewer.
    /// </summary>
    public static int ForBands(int slotsLimit, int bands, int tileSizeHr)
    {
        if (!BandLayout.IsBandInterleaved(bands)) return slotsLimit;
        var tileBytes = 3L * tileSizeHr * tileSizeHr * (bands + 1) * sizeof(float);
        return (int)Math.Min(slotsLimit, Math.Max(2, ManyBandTileBudget / tileBytes));
    }
}
