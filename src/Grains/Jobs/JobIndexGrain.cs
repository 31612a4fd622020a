using Pipeline.Grains.Placement;

namespace Pipeline.Grains.Jobs;

[CoordinatorSiloPlacementFilter]
public sealed class JobIndexGrain : Grain, IJobIndexGrain
{
    public const string Key = "all";
    public const int Capacity = 100;

    readonly LinkedList<string> recent = new();

    public Task Add(string jobId)
    {
        recent.Remove(jobId);
        recent.AddFirst(jobId);
        while (recent.Count > Capacity) recent.RemoveLast();
        return Task.CompletedTask;
    }

    public Task<string[]> Recent() => Task.FromResult(recent.ToArray());
}
