namespace Pipeline.Models.Inference;

/// <summary>How a model samples, in words every model family reads: each family parses <paramref name="Sampler"/> itself.</summary>
/// <param name="Sampler">A sampler the model's family declares (<see cref="Families.IModelFamily.Samplers"/>); empty: the
/// family's default.</param>
/// <param name="Seed">Seed of the scene-wide noise field.</param>
/// <param name="Temperature">Scale of the injected noise (1 = as trained); what it scales is the family's to say.</param>
/// <param name="Steps">Sampling steps for a family whose step count is free (0: the family's default); families whose
/// step counts are fixed by their training ignore it.</param>
public sealed record SamplingOptions(string Sampler = "", ulong Seed = 0, double Temperature = 1.0, int Steps = 0);
