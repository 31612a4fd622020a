using Pipeline.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Idm;

/// <summary>
/// IDM's "idm" module, which replaces each upsampling of the UNet decoder:
/// <list type="number">
/// <item>scale-adaptive mixing: m = FusedLeakyReLU(ŝ₁·x + ŝ₂·shift), (ŝ₁, ŝ₂) = (s₁, s₂) / √(s₁² + s₂² + 1e-8) per
/// channel, s₁ and s₂ from EqualLinear(p), shift from the LR conditioning branch at this level;</item>
/// <item>an implicit query at every pixel of the finer grid: the nearest feature (grid_sample, nearest,
/// make_coord pixel centres) and its offset (scaled by the coarse size), through Linear(C + 2 → hidden) →
/// Linear(hidden → C), with no activation between them, as in the released code.</item>
/// </list>
/// Because the two linears are affine, the query is computed as W₂(W₁ᶠ·m + b₁) + b₂ on the coarse grid, gathered to
/// the fine grid, plus W₂W₁ʳ·offset: the reference's result with a quarter of its multiply-adds at a ×2 step.
/// </summary>
public sealed class ImplicitUpsampler : nn.Module
{
    readonly FusedLeakyRelu activate;
    readonly Linear imnet_in;
    readonly Linear imnet_out;
    readonly int channels;

    public ImplicitUpsampler(int channels, int hidden) : base(nameof(ImplicitUpsampler))
    {
        this.channels = channels;
        activate = new FusedLeakyRelu(channels);
        imnet_in = Linear(channels + 2, hidden);
        imnet_out = Linear(hidden, channels);
        RegisterComponents();
    }

    /// <param name="x">Coarse features [B, C, h, w].</param>
    /// <param name="scale1">s₁ [B, C].</param>
    /// <param name="scale2">s₂ [B, C].</param>
    /// <param name="shift">LR-branch features [B, C, h, w].</param>
    public Tensor forward(Tensor x, Tensor scale1, Tensor scale2, Tensor shift, long outHeight, long outWidth)
    {
        using var scope = NewDisposeScope();
        var norm = (scale1.square() + scale2.square() + 1e-8).rsqrt();
        var mixed = activate.call(x * (scale1 * norm).reshape(-1, channels, 1, 1) + shift * (scale2 * norm).reshape(-1, channels, 1, 1));

        var featureWeight = imnet_in.weight![.., ..channels];
        var offsetWeight = imnet_in.weight![.., channels..];                      // [hidden, 2]: (row, column)
        var hidden = nn.functional.linear(mixed.permute(0, 2, 3, 1), featureWeight, imnet_in.bias);
        FlopCounter.CountProduct(hidden.numel(), channels);
        var coarse = imnet_out.call(hidden).permute(0, 3, 1, 2);                   // [B, C, h, w]
        var (rowIndex, rowOffset) = Query(x.shape[2], outHeight);
        var (columnIndex, columnOffset) = Query(x.shape[3], outWidth);
        var fine = coarse.index_select(2, tensor(rowIndex, device: x.device)).index_select(3, tensor(columnIndex, device: x.device));
        var offsetToOutput = matmul(imnet_out.weight!, offsetWeight);              // [C, 2]
        var rows = offsetToOutput[.., 0].reshape(1, -1, 1, 1) * tensor(rowOffset, device: x.device).reshape(1, 1, -1, 1);
        var columns = offsetToOutput[.., 1].reshape(1, -1, 1, 1) * tensor(columnOffset, device: x.device).reshape(1, 1, 1, -1);
        return (fine + rows + columns).MoveToOuterDisposeScope();
    }

    /// <summary>Per output pixel of one axis: the nearest coarse pixel as grid_sample (nearest, align_corners =
    /// false) picks it for the make_coord centre, and the offset (coord − coarse centre) · coarse size.</summary>
    static (long[] Index, float[] Offset) Query(long coarse, long fine)
    {
        var index = new long[fine];
        var offset = new float[fine];
        for (var i = 0; i < fine; i++)
        {
            var coord = Math.Clamp(-1 + (2.0 * i + 1) / fine, -1 + 1e-6, 1 - 1e-6);
            var source = ((coord + 1) * coarse - 1) / 2;
            var j = Math.Clamp((long)Math.Round(source, MidpointRounding.ToEven), 0, coarse - 1);
            index[i] = j;
            offset[i] = (float)((-1 + (2.0 * i + 1) / fine - (-1 + (2.0 * j + 1) / coarse)) * coarse);
        }
        return (index, offset);
    }
}
