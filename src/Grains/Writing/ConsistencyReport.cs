namespace Pipeline.Grains.Writing;

/// <summary>The writer's settings for consistency: the bound a scene and a map cell are flagged over.</summary>
public static class ConsistencyReport
{
    /// <summary>The job's --max-inconsistency, or the default threshold.</summary>
    public static double MapThreshold(WriterSetup setup) => setup.MaxInconsistency ?? new Imaging.Consistency.ConsistencyThresholds().Inconsistency;
}
