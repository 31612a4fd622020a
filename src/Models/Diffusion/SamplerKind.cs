namespace Pipeline.Models.Diffusion;

/// <summary>How the latent is produced at inference.</summary>
public enum SamplerKind
{
    /// <summary>Decode the conditioning network's latent directly (the KD / "sr_kd" path): one CondNet + one decoder,
    /// no noise. Works with E²DiffSR and LCMSR weights.</summary>
    Deterministic,
    /// <summary>E²DiffSR: T = 4 ancestral ε-prediction steps from scene-wide noise, then decode.</summary>
    E2DiffSR,
    /// <summary>LCMSR: one consistency-function evaluation at t = T−1 from scene-wide noise, then decode.</summary>
    Lcmsr,
}

/// <summary>What a stage-2 weights file was trained as.</summary>
public enum SecondStageKind
{
    E2DiffSR,
    Lcmsr,
}
