using Pipeline.Models.Diffusion;

namespace Pipeline.Models.Inference;

/// <param name="Sampler">deterministic | e2diffsr | lcmsr.</param>
/// <param name="Seed">Seed of the scene-wide noise field (<see cref="SceneNoise"/>).</param>
/// <param name="Temperature">Scale of the noise injected between E²DiffSR steps (1 = the trained sampler,
/// 0 = no injected noise). The initial latent noise is never scaled. IDM: the scale of its initial noise.</param>
/// <param name="Steps">IDM's DDIM steps (0: <see cref="IdmTileUpscaler.DefaultSteps"/>); the latent models' step
/// counts are fixed by their training.</param>
public sealed record SamplingOptions(SamplerKind Sampler = SamplerKind.E2DiffSR, ulong Seed = 0, double Temperature = 1.0, int Steps = 0);
