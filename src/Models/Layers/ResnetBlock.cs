using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

/// <summary>LDM autoencoder ResnetBlock: GN → swish → conv3×3 → GN → swish → conv3×3, plus a (1×1 when the
/// width changes) skip. No timestep input.</summary>
public sealed class ResnetBlock : Module<Tensor, Tensor>
{
    readonly GroupNorm norm1;
    readonly Conv2d conv1;
    readonly GroupNorm norm2;
    readonly Conv2d conv2;
    readonly Conv2d? nin_shortcut;

    public ResnetBlock(int inChannels, int outChannels, int groups, double eps = 1e-6) : base(nameof(ResnetBlock))
    {
        norm1 = Norm.Group(groups, inChannels, eps);
        conv1 = Conv2d(inChannels, outChannels, 3, padding: 1);
        norm2 = Norm.Group(groups, outChannels, eps);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: 1);
        if (inChannels != outChannels) nin_shortcut = Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = conv1.call(silu(norm1.call(x)));
        h = conv2.call(silu(norm2.call(h)));
        var skip = nin_shortcut is null ? x : nin_shortcut.call(x);
        return (skip + h).MoveToOuterDisposeScope();
    }
}
