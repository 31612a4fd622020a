using static TorchSharp.torch;

namespace Pipeline.Models.Stage1;

/// <summary>Posterior N(μ, σ²) from the encoder's moments [B, 2z, h, w]; log σ² clamped to [−30, 20].</summary>
public sealed class DiagonalGaussian
{
    public DiagonalGaussian(Tensor moments)
    {
        var parts = moments.chunk(2, 1);
        Mean = parts[0];
        LogVar = parts[1].clamp(-30, 20);
        Std = (LogVar * 0.5).exp();
    }

    public Tensor Mean { get; }
    public Tensor LogVar { get; }
    public Tensor Std { get; }

    /// <summary>Reparameterised sample μ + σ·n.</summary>
    public Tensor Sample(Generator? generator = null) =>
        Mean + Std * randn(Mean.shape, dtype: Mean.dtype, device: Mean.device, generator: generator);

    /// <summary>KL(q ‖ N(0, I)) summed per sample: ½Σ(μ² + σ² − 1 − log σ²), shape [B].</summary>
    public Tensor Kl() => ((Mean.pow(2) + LogVar.exp() - 1 - LogVar) * 0.5).sum([1, 2, 3]);
}
