using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Layers;

/// <summary>
/// The reference's fixed-scale tail (modules/upsampler.py PixShuffleUpsampler, as s1_v6_fixed_scale builds it):
/// [conv 3×3 C → 4C, pixel shuffle ×2] per factor of 2, then PReLU(C) and conv 3×3 C → 3. The output covers
/// scale × the LR tile; each HR pixel comes from its own LR pixel, so tiles agree exactly where their LR windows do.
/// </summary>
public static class PixelShuffleUpsampler
{
    public static Sequential Create(int scale, int channels, int outChannels)
    {
        if (scale is not (2 or 4 or 8)) throw new ArgumentException($"a fixed-scale decoder needs scale 2, 4 or 8, got {scale}");
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (var s = scale; s > 1; s /= 2)
        {
            layers.Add(Conv2d(channels, 4 * channels, 3, padding: 1));
            layers.Add(PixelShuffle(2));
        }
        layers.Add(PReLU(channels));
        layers.Add(Conv2d(channels, outChannels, 3, padding: 1));
        return Sequential(layers);
    }

    /// <summary>The output (scale × the LR tile, from global HR pixel scale·LrX) on the geometry's HR grid: the rows and
    /// columns it covers, and past the tile's end, where the grid was widened to whole latent cells, its last row and
    /// column repeated (those pixels are cropped away again by the caller).</summary>
    public static Tensor OnGrid(Tensor output, Geometry.TileGeometry geometry, int scale)
    {
        var (top, left) = (geometry.HrY - scale * geometry.LrY, geometry.HrX - scale * geometry.LrX);
        var (h, w) = ((int)output.shape[2], (int)output.shape[3]);
        if (top < 0 || left < 0 || top >= h || left >= w)
            throw new ArgumentException($"HR window {geometry} is not inside ×{scale} of its LR tile");
        var cropped = output[.., .., top..Math.Min(h, top + geometry.HrHeight), left..Math.Min(w, left + geometry.HrWidth)];
        var (missingRows, missingColumns) = (geometry.HrHeight - (int)cropped.shape[2], geometry.HrWidth - (int)cropped.shape[3]);
        return missingRows == 0 && missingColumns == 0
            ? cropped
            : functional.pad(cropped, [0, missingColumns, 0, missingRows], PaddingModes.Replicate);
    }
}
