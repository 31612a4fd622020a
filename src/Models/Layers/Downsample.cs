using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Layers;

/// <summary>LDM autoencoder downsampling: zero-pad right and bottom by one, then a 3×3 stride-2 conv
/// (n → ceil(n / 2)).</summary>
public sealed class Downsample : Module<Tensor, Tensor>
{
    readonly Conv2d conv;

    public Downsample(int channels) : base(nameof(Downsample))
    {
        conv = Conv2d(channels, channels, 3, stride: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var padded = functional.pad(x, [0, 1, 0, 1]);
        return conv.call(padded);
    }
}
