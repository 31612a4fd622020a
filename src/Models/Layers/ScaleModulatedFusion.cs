using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

/// <summary>
/// Scale-modulated fusion ("Norm2Scale", shared with IDM): (a, b) = (Linear(s), Linear(s)) per channel, normalised
/// to â² + b̂² = 1, then LeakyReLU₀.₀₁(â ⊙ F + b̂ ⊙ h). The two linears are the decoder level's
/// condition_scale1 / condition_scale2.
/// </summary>
public static class ScaleModulatedFusion
{
    public static Tensor Fuse(Tensor features, Tensor latentFeatures, Linear scale1, Linear scale2, Tensor scale)
    {
        using var scope = NewDisposeScope();
        var a = scale1.call(scale);
        var b = scale2.call(scale);
        var norm = (a * a + b * b + 1e-8).rsqrt();
        var channels = features.shape[1];
        var mixed = features * (a * norm).reshape(1, channels, 1, 1) + latentFeatures * (b * norm).reshape(1, channels, 1, 1);
        return leaky_relu(mixed, 0.01).MoveToOuterDisposeScope();
    }
}
