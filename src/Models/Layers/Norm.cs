using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Models.Layers;

public static class Norm
{
    /// <summary>GroupNorm with weight 1 and bias 0. TorchSharp 0.107's <c>nn.GroupNorm</c> leaves its affine
    /// parameters uninitialised (garbage, sometimes NaN), so they are set explicitly.</summary>
    public static GroupNorm Group(int groups, int channels, double eps = 1e-5)
    {
        var norm = nn.GroupNorm(groups, channels, eps);
        using var _ = no_grad();
        norm.weight!.fill_(1);
        norm.bias!.zero_();
        return norm;
    }
}
