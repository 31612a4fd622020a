namespace Pipeline.Grains.Jobs;

[GenerateSerializer]
public enum JobState
{
    /// <summary>No job was ever submitted under this id.</summary>
    Unknown,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public static class JobStateExtensions
{
    public static bool IsFinal(this JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}
