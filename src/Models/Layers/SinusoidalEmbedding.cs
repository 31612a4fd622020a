using static TorchSharp.torch;

namespace Pipeline.Models.Layers;

/// <summary>LDM/OpenAI <c>timestep_embedding</c>: [cos(v·f_i), sin(v·f_i)] with f_i = exp(−ln(maxPeriod)·i/half).
/// Accepts real values (used for t, the float scale and the output size).</summary>
public static class SinusoidalEmbedding
{
    public static Tensor Embed(Tensor values, int dim, double maxPeriod = 10000)
    {
        using var scope = NewDisposeScope();
        var half = dim / 2;
        var freqs = exp(arange(half, dtype: ScalarType.Float32, device: values.device) * (float)(-Math.Log(maxPeriod) / half));
        var args = values.to_type(ScalarType.Float32).reshape(-1, 1) * freqs.reshape(1, -1);
        var emb = cat([cos(args), sin(args)], 1);
        if (dim % 2 == 1) emb = cat([emb, zeros_like(emb[.., ..1])], 1);
        return emb.MoveToOuterDisposeScope();
    }
}
