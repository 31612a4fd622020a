namespace Pipeline.Grains.Jobs;

/// <summary>
/// One scene job (key: the job id): plans the scene, sends its tiles to the workers, tracks which tiles and blocks
/// are done, retries, recovers from lost silos and commits the output. Its manifest is persisted, so the job
/// resumes wherever it is next activated; a reminder makes sure that happens even when no client is polling.
/// </summary>
public interface ISceneJobGrain : IGrainWithStringKey
{
    /// <summary>Starts the job; submitting the same spec again only returns the status.</summary>
    /// <exception cref="ArgumentException">The spec is invalid, names another model than the cluster's, or the id
    /// is taken by a different job.</exception>
    Task<SceneJobStatus> Submit(SceneJobSpec spec);

    Task<SceneJobStatus> GetStatus();

    /// <summary>Stops the job and waits until its tiles are recalled, its stitchers discarded and its temporary
    /// file deleted; nothing appears under the output name. A finished job is left as it is.</summary>
    Task<SceneJobStatus> Cancel();
}
