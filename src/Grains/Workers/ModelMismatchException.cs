namespace Pipeline.Grains.Workers;

/// <summary>A worker runs another model than the job's, or the same name over other weights: the job fails at once
/// with this reason instead of blending two models into one mosaic.</summary>
[GenerateSerializer]
public sealed class ModelMismatchException(string message) : Exception(message);
