using Pipeline.Models.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Layers;

/// <summary>
/// Convolution stages evaluated in bands of output rows, for inference on maps at HR resolution. Each band reads
/// only the input rows its kernel reaches, applies the stage's pre-activation (GroupNorm with statistics of the whole
/// map, then SiLU) to that slab alone, zero-pads exactly where the whole-map convolution would and convolves: the
/// result equals the whole-map stage while its temporaries stay a few megabytes, whatever the map's size.
/// </summary>
internal static class RowBands
{
    /// <summary>Maps above this many elements (16 MiB of float32) go by bands; smaller ones in one piece.</summary>
    public const long Threshold = 4 << 20;

    /// <summary>Whether <paramref name="x"/> should be processed by bands: no autograd and a large map.</summary>
    public static bool Applies(Tensor x) => !torch.is_grad_enabled() && x.numel() > Threshold;

    /// <summary>Per-sample, per-group mean and 1/std of <paramref name="x"/>, shaped to broadcast over
    /// [N, G, C/G, h, w] slabs.</summary>
    public static (Tensor Mean, Tensor Rstd) GroupStats(Tensor x, GroupNorm norm, int groups, double eps)
    {
        using var scope = NewDisposeScope();
        var (variance, mean) = torch.var_mean(x.reshape(x.shape[0], groups, -1), [2], unbiased: false, keepdim: true);
        var rstd = (variance + eps).rsqrt();
        return (mean.reshape(x.shape[0], groups, 1, 1, 1).MoveToOuterDisposeScope(), rstd.reshape(x.shape[0], groups, 1, 1, 1).MoveToOuterDisposeScope());
    }

    /// <summary>GroupNorm of a slab with whole-map statistics, then SiLU (in place).</summary>
    public static Tensor NormSilu(Tensor slab, (Tensor Mean, Tensor Rstd) stats, GroupNorm norm, int groups)
    {
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (slab.shape[0], slab.shape[1], slab.shape[2], slab.shape[3]);
        var grouped = slab.reshape(n, groups, c / groups, h, w).sub(stats.Mean).mul_(stats.Rstd);
        var affine = grouped.reshape(n, c, h, w).mul_(norm.weight!.reshape(1, c, 1, 1)).add_(norm.bias!.reshape(1, c, 1, 1));
        return functional.silu(affine, inplace: true).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="conv"/> over <paramref name="input"/> with the given zero padding and stride, band by band.
    /// <paramref name="prepare"/> (optional) maps each input slab before padding. The bands are written into
    /// <paramref name="output"/> (shape of the result), or added to it when <paramref name="accumulate"/>.
    /// </summary>
    public static void Conv(Tensor input, Conv2d conv, int stride, (int Top, int Bottom, int Left, int Right) padding,
        Func<Tensor, Tensor>? prepare, Tensor output, bool accumulate = false)
    {
        var kernel = (int)conv.weight!.shape[2];
        var height = (int)input.shape[2];
        var outHeight = (int)output.shape[2];
        var rows = (int)Math.Max(4, Threshold / Math.Max(1, input.shape[1] * input.shape[3] * stride));
        for (var first = 0; first < outHeight; first += rows)
        {
            using var scope = NewDisposeScope();
            var last = Math.Min(outHeight, first + rows);
            var (from, to) = (first * stride - padding.Top, (last - 1) * stride - padding.Top + kernel);
            var (start, end) = (Math.Max(0, from), Math.Min(height, to));
            var slab = input[.., .., start..end, ..];
            if (prepare is not null) slab = prepare(slab);
            var padded = functional.pad(slab, [padding.Left, padding.Right, start - from, to - end]);
            var band = Bf16Convolutions.Convolve(padded, conv, x => functional.conv2d(x, conv.weight!, conv.bias, strides: [stride, stride]));
            FlopCounter.CountConvolution(conv.weight!, band);
            var target = output[.., .., first..last, ..];
            if (accumulate) target.add_(band);
            else target.copy_(band);
        }
    }
}
