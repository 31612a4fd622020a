using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Layers;

/// <summary>LDM autoencoder downsampling: zero-pad right and bottom by one, then a 3×3 stride-2 conv
/// (n → ceil(n / 2)). Large maps without autograd go by row bands (no padded copy of an HR-sized map).</summary>
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
        if (RowBands.Applies(x))
        {
            var (height, width) = (x.shape[2], x.shape[3]);
            var output = empty(x.shape[0], conv.weight!.shape[0], height / 2, width / 2, device: x.device);
            RowBands.Conv(x, conv, 2, (0, 1, 0, 1), null, output);
            return output;
        }
        using var padded = functional.pad(x, [0, 1, 0, 1]);
        return conv.call(padded);
    }
}
