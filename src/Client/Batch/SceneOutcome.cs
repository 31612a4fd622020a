namespace Pipeline.Client.Batch;

/// <summary>How one scene of a batch ended, as the report records it.</summary>
/// <param name="Status"><see cref="Done"/>, <see cref="Skipped"/> (its output was already complete) or <see cref="Failed"/>.</param>
/// <param name="Error">Why it failed: one line, naming the file where the cause is a file.</param>
/// <param name="Seconds">Wall time this run spent on the scene.</param>
/// <param name="OutputBytes">Size of the output file (done and skipped scenes).</param>
/// <param name="Tiles">Tiles the scene's job ran (done scenes).</param>
/// <param name="Consistency">The output against its input (scenes whose job wrote an output, kept aside or not).</param>
sealed record SceneOutcome(string Input, string Output, string Status, string? Error, double Seconds, long? OutputBytes, int? Tiles,
    string? WeightsSha256 = null, ConsistencyEntry? Consistency = null)
{
    public const string Done = "done";
    public const string Skipped = "skipped";
    public const string Failed = "failed";

    public static SceneOutcome Finished(BatchScene scene, string status, double seconds, int? tiles, string? weightsSha256 = null,
        ConsistencyEntry? consistency = null) =>
        new(scene.Input, scene.Output, status, null, seconds, new FileInfo(scene.Output).Length, tiles, weightsSha256, consistency);

    public static SceneOutcome Failure(BatchScene scene, string error, double seconds, ConsistencyEntry? consistency = null) =>
        new(scene.Input, scene.Output, Failed, error.ReplaceLineEndings(" "), seconds, null, null, Consistency: consistency);
}
