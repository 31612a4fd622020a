namespace Pipeline.Models.Idm;

/// <summary>Which timesteps IDM's DDIM visits (<see cref="IdmModel.Sample"/>).</summary>
public enum DdimTimesteps
{
    /// <summary>The port's default (sampler <c>ddim</c>): trailing timesteps from T − 1 down to ᾱ = 1, x̂₀ clipped.</summary>
    Trailing,

    /// <summary>The reference code's loop (sampler <c>ddim-reference</c>): what its own checkpoints were measured with.</summary>
    Reference,
}
