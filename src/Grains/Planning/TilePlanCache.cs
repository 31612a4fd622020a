using System.Collections.Concurrent;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Planning;

/// <summary>
/// The silo's plans, by parameters: every worker and stitching activation of a job on this silo shares one
/// <see cref="TilePlan"/> rather than rebuilding it per tile. Holds a handful of plans (a few running jobs);
/// past that it starts over, since a plan is cheap to rebuild and jobs come and go.
/// </summary>
public sealed class TilePlanCache
{
    const int Capacity = 16;
    readonly ConcurrentDictionary<PlanParameters, Lazy<TilePlan>> plans = new();

    public TilePlan Get(PlanParameters parameters)
    {
        if (plans.Count >= Capacity) plans.Clear();
        return plans.GetOrAdd(parameters, p => new Lazy<TilePlan>(p.CreatePlan)).Value;
    }
}
