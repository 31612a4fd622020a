namespace Pipeline.Grains.Jobs;

/// <summary>The most recent jobs submitted to the cluster, newest first, for the jobs page (one grain, key
/// <see cref="JobIndexGrain.Key"/>), persisted in the cluster's grain storage.</summary>
public interface IJobIndexGrain : IGrainWithStringKey
{
    Task Add(string jobId);

    Task<string[]> Recent();
}
