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
    readonly int groups;
    readonly double eps;

    public ResnetBlock(int inChannels, int outChannels, int groups, double eps = 1e-6) : base(nameof(ResnetBlock))
    {
        this.groups = groups;
        this.eps = eps;
        norm1 = Norm.Group(groups, inChannels, eps);
        conv1 = Conv2d(inChannels, outChannels, 3, padding: 1);
        norm2 = Norm.Group(groups, outChannels, eps);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: 1);
        if (inChannels != outChannels) nin_shortcut = Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (RowBands.Applies(x)) return Banded(x, consumeInput: false);
        using var scope = NewDisposeScope();
        // Without autograd, each intermediate is freed as soon as the next exists and the activations run in place.
        var inPlace = !torch.is_grad_enabled();
        var h = Step(norm1, conv1, x, inPlace);
        var h2 = Step(norm2, conv2, h, inPlace);
        if (inPlace) h.Dispose();
        if (nin_shortcut is null) return (inPlace ? h2.add_(x) : h2 + x).MoveToOuterDisposeScope();
        using var skip = nin_shortcut.call(x);
        return (inPlace ? h2.add_(skip) : h2 + skip).MoveToOuterDisposeScope();
    }

    /// <summary>The block on an input the caller discards afterwards: without autograd, a large map's output is
    /// written over the input's storage when the widths match (the HR-resolution first level then holds two maps
    /// instead of four).</summary>
    public Tensor Consume(Tensor x) => RowBands.Applies(x) ? Banded(x, consumeInput: true) : call(x);

    /// <summary>Row-band evaluation (see <see cref="RowBands"/>): the same result as <see cref="forward"/>, holding the
    /// input, the first conv's output and the result (or just two of them when the input is consumed).</summary>
    Tensor Banded(Tensor x, bool consumeInput)
    {
        using var scope = NewDisposeScope();
        var (n, height, width) = (x.shape[0], x.shape[2], x.shape[3]);
        var stats1 = RowBands.GroupStats(x, norm1, groups, eps);
        var h = empty(n, conv1.weight!.shape[0], height, width, device: x.device);
        RowBands.Conv(x, conv1, 1, (1, 1, 1, 1), slab => RowBands.NormSilu(slab, stats1, norm1, groups), h);
        var stats2 = RowBands.GroupStats(h, norm2, groups, eps);
        Tensor output;
        if (nin_shortcut is null)
            output = consumeInput ? x : x.clone();
        else
        {
            output = empty(n, conv2.weight!.shape[0], height, width, device: x.device);
            RowBands.Conv(x, nin_shortcut, 1, (0, 0, 0, 0), null, output);
        }
        // conv2 reads only h, so each band of the result can go straight onto the skip (x's own rows, when consumed).
        RowBands.Conv(h, conv2, 1, (1, 1, 1, 1), slab => RowBands.NormSilu(slab, stats2, norm2, groups), output, accumulate: true);
        return ReferenceEquals(output, x) ? x : output.MoveToOuterDisposeScope();
    }

    static Tensor Step(GroupNorm norm, Conv2d conv, Tensor x, bool inPlace)
    {
        var normed = norm.call(x);
        var activated = silu(normed, inplace: inPlace);
        var result = conv.call(activated);
        if (inPlace) normed.Dispose();
        return result;
    }
}
