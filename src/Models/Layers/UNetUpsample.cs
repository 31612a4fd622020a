using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

/// <summary>Nearest ×2 then conv3×3.</summary>
public sealed class UNetUpsample : Module<Tensor, Tensor>
{
    readonly Conv2d conv;

    public UNetUpsample(int channels) : base(nameof(UNetUpsample))
    {
        conv = Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var up = interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        return conv.call(up);
    }
}
