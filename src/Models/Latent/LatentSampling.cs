using Pipeline.Models.Diffusion;

namespace Pipeline.Models.Latent;

/// <summary>How <see cref="SuperResolver"/> produces its latent.</summary>
/// <param name="Sampler">deterministic | e2diffsr | lcmsr.</param>
/// <param name="Seed">Seed of the scene-wide noise field (<see cref="SceneNoise"/>).</param>
/// <param name="Temperature">Scale of the noise injected between E²DiffSR steps (1 = the trained sampler, 0 = no
/// injected noise). The initial latent noise is never scaled.</param>
public sealed record LatentSampling(SamplerKind Sampler = SamplerKind.E2DiffSR, ulong Seed = 0, double Temperature = 1.0)
{
    /// <summary>The samplers' names, as options and settings spell them; the default (deterministic) first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<SamplerKind>().Select(NameOf)];

    public static string NameOf(SamplerKind sampler) => sampler.ToString().ToLowerInvariant();

    /// <summary>A sampler by name; empty is the deterministic path; kd and lcm are old aliases.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Names"/>.</exception>
    public static SamplerKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "" or "kd" => SamplerKind.Deterministic,
        "lcm" => SamplerKind.Lcmsr,
        var known when Names.Contains(known) => Enum.Parse<SamplerKind>(known, ignoreCase: true),
        _ => throw new ArgumentException($"unknown sampler '{name}' ({string.Join(" | ", Names)})", nameof(name)),
    };

    public static bool IsName(string name) => name.Trim().ToLowerInvariant() is "" or "kd" or "lcm" || Names.Contains(name.Trim().ToLowerInvariant());
}
