using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// <c>--consistency enforce</c>: iterative back-projection of a tile's output onto its input, x ← x + U(LR − D(x)),
/// with D the models' antialiased bicubic degradation and U bicubic upsampling. Each pass removes most of what is
/// left of the output's disagreement with its input, colour drift and low-frequency error first, and leaves detail
/// the input cannot see. Per tile and deterministic, so the mosaic stays bit-reproducible; both tiles of an overlap
/// are pulled towards the same input, so blending them stays seam-free. LR pixels whose degradation would reach past
/// the tile's output (not the scene's edge), or that are nodata, are not corrected from: the tile's unreliable edge,
/// which gets no blend weight, absorbs that.
/// </summary>
public static class ConsistencyEnforcer
{
    public const int DefaultIterations = 5;

    /// <param name="lr">The tile's input.</param>
    /// <param name="validity">Its validity (0 = nodata), or null.</param>
    /// <param name="output">The tile's output; not changed.</param>
    /// <param name="scale">The job's exact scale.</param>
    /// <param name="scene">The whole mosaic's window: past its edges a degradation's support is legitimately clipped.</param>
    public static RasterBlock Apply(RasterBlock lr, byte[]? validity, RasterBlock output, RationalScale scale, PixelWindow scene,
        int iterations = DefaultIterations)
    {
        var corrected = new RasterBlock(output.Window, output.Bands, (float[])output.Data.Clone());
        var usable = Usable(lr, validity, output.Window, scale.Value, scene);
        var upsampler = new BicubicUpscaler();
        for (var pass = 0; pass < iterations; pass++)
        {
            var degraded = new double[lr.Data.Length];
            AntialiasedBicubic.Degrade(corrected, lr.Window, scale.Value, degraded);
            var residual = new RasterBlock(lr.Window, lr.Bands);
            for (var b = 0; b < lr.Bands; b++)
            {
                var input = lr.Band(b);
                var target = residual.Band(b);
                var degradedBand = degraded.AsSpan(b * target.Length, target.Length);
                for (var i = 0; i < target.Length; i++)
                    if (usable[i] && double.IsFinite(degradedBand[i]) && float.IsFinite(input[i])) target[i] = (float)(input[i] - degradedBand[i]);
            }
            var correction = upsampler.Upscale(residual, scale.Value, output.Window);
            for (var i = 0; i < corrected.Data.Length; i++) corrected.Data[i] += correction.Data[i];
        }
        return corrected;
    }

    /// <summary>LR pixels that are valid, and whose degradation support (2·s HR px each side of the centre) lies in the
    /// tile's output or ends at the scene's edge.</summary>
    static bool[] Usable(RasterBlock lr, byte[]? validity, PixelWindow hr, double scale, PixelWindow scene)
    {
        var usable = new bool[lr.Width * lr.Height];
        var support = 2 * scale;
        bool Inside(int lrIndex, int hrStart, int hrEnd, int sceneStart, int sceneEnd)
        {
            var centre = (lrIndex + 0.5) * scale;
            var (low, high) = (Math.Max(centre - support, sceneStart), Math.Min(centre + support, sceneEnd));
            return low >= hrStart && high <= hrEnd;
        }
        for (var y = 0; y < lr.Height; y++)
        {
            if (!Inside(lr.Window.Y + y, hr.Y, hr.Bottom, scene.Y, scene.Bottom)) continue;
            for (var x = 0; x < lr.Width; x++)
                usable[y * lr.Width + x] = Inside(lr.Window.X + x, hr.X, hr.Right, scene.X, scene.Right)
                                           && (validity is null || validity[y * lr.Width + x] != 0);
        }
        return usable;
    }
}
