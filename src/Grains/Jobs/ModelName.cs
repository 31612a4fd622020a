namespace Pipeline.Grains.Jobs;

/// <summary>How a job names the model it wants. A latent model's upscaler is named "sampler-config"
/// (deterministic-small), while users ask for the model ("small"), the full name, or nothing when they submit to a
/// cluster whose model they take as it is.</summary>
public static class ModelName
{
    /// <summary>The running upscaler's name when <paramref name="requested"/> asks for it; null when it asks for another.</summary>
    public static string? Resolve(string requested, string running) =>
        requested.Length == 0 || requested == running || running.EndsWith("-" + requested, StringComparison.Ordinal) ? running : null;
}
