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
        var recent = index.State.Recent;
        if (recent.FirstOrDefault() == jobId) return;
        recent.Remove(jobId);
        recent.Insert(0, jobId);
        if (recent.Count > Capacity) recent.RemoveRange(Capacity, recent.Count - Capacity);
        await index.WriteStateAsync();
    }

    public Task<string[]> Recent() => Task.FromResult(index.State.Recent.ToArray());
}

/// <summary>Job ids, newest first.</summary>
[GenerateSerializer]
public sealed class JobIndex
{
    [Id(0)] public List<string> Recent { get; set; } = [];
}
