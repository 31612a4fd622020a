using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

/// <summary>Stride-2 conv3×3 (padding 1).</summary>
public sealed class UNetDownsample : Module<Tensor, Tensor>
{
    readonly Conv2d op;

    public UNetDownsample(int channels) : base(nameof(UNetDownsample))
    {
        op = Conv2d(channels, channels, 3, stride: 2, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => op.call(x);
}
