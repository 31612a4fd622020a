using Orleans.Storage;
using Pipeline.Grains.Placement;

namespace Pipeline.Grains.Jobs;

/// <summary>The jobs page's list, kept in the cluster's grain storage (Redis or PostgreSQL on a real cluster): a silo
/// restart or the loss of the silo holding it does not empty the page.</summary>
[CoordinatorSiloPlacementFilter]
public sealed class JobIndexGrain([PersistentState("index")] IPersistentState<JobIndex> index) : Grain, IJobIndexGrain
{
    public const string Key = "all";
    public const int Capacity = 100;

    public async Task Add(string jobId)
    {
        if (!Put(jobId)) return;
        try
        {
            await index.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote since this one read (a duplicate during a silo's loss): take its list, add again.
            await index.ReadStateAsync();
            if (Put(jobId)) await index.WriteStateAsync();
        }
    }

    /// <summary>Puts the job first; false when it already is.</summary>
    bool Put(string jobId)
    {
        var recent = index.State.Recent;
        if (recent.FirstOrDefault() == jobId) return false;
        recent.Remove(jobId);
        recent.Insert(0, jobId);
        if (recent.Count > Capacity) recent.RemoveRange(Capacity, recent.Count - Capacity);
        return true;
    }

    public Task<string[]> Recent() => Task.FromResult(index.State.Recent.ToArray());
}

/// <summary>Job ids, newest first.</summary>
[GenerateSerializer]
public sealed class JobIndex
{
    [Id(0)] public List<string> Recent { get; set; } = [];
}
