namespace Pipeline.Grains.Jobs;

/// <summary>The most recent jobs submitted to the cluster, newest first, for the jobs page (one grain, key
/// <see cref="JobIndexGrain.Key"/>). Held in memory: after the silo holding it goes, the list starts again.</summary>
public interface IJobIndexGrain : IGrainWithStringKey
{
    Task Add(string jobId);

    Task<string[]> Recent();
}
