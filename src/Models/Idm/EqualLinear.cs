using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Idm;

/// <summary>StyleGAN2's EqualLinear without activation: weight ~ N(0, 1) scaled by 1/√in at run time, bias filled
/// with a start value (1 for the scale mixing).</summary>
public sealed class EqualLinear : Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter bias;
    readonly double scale;

    public EqualLinear(int inFeatures, int outFeatures, double biasInit) : base(nameof(EqualLinear))
    {
        weight = Parameter(randn(outFeatures, inFeatures));
        bias = Parameter(full(outFeatures, (float)biasInit));
        scale = 1 / Math.Sqrt(inFeatures);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => linear(x, weight * scale, bias);
}
