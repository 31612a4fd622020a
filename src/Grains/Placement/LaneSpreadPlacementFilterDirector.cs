using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Pipeline.Grains.Placement;

/// <summary>
/// Maps a grain key to one of the candidate silos (ordered by address, picked by the key's stable hash), so the
/// lanes of a stateless worker spread evenly over the worker silos. Without it a stateless worker runs on the
/// calling silo whenever that silo is a candidate: a job on a silo that is both coordinator and worker would run
/// every tile itself, however many worker silos the cluster has. Every silo computes the same mapping for the same
/// membership; when membership changes, lanes placed afterwards map over the new set.
/// </summary>
internal sealed class LaneSpreadPlacementFilterDirector : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var ordered = silos.OrderBy(silo => silo.ToParsableString(), StringComparer.Ordinal).ToList();
        if (ordered.Count <= 1) return ordered;
        return [ordered[(int)(target.GrainIdentity.GetUniformHashCode() % (uint)ordered.Count)]];
    }
}
