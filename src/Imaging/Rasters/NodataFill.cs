namespace Pipeline.Imaging.Rasters;

/// <summary>
/// Replaces nodata pixels of an LR tile by growing the valid values into them, a ring per pass, before the tile is
/// upscaled. Without it the upscaler blends the nodata value (often 0) into valid pixels near a collar and leaves a
/// dark fringe. Each pass reads only the previous pass, so the result at a pixel depends on its neighbourhood alone
/// and overlapping tiles agree away from their edges. The filled pixels themselves stay nodata in the output
/// (the blender gives them no weight).
/// </summary>
public static class NodataFill
{
    /// <summary>Rings to fill for an upscaler with this edge margin: enough to cover what its kernel reaches.</summary>
    public static int PassesFor(int edgeMargin) => edgeMargin + 2;

    public static void Apply(RasterBlock tile, byte[] validity, int passes)
    {
        int width = tile.Width, height = tile.Height;
        var known = (byte[])validity.Clone();
        var next = (byte[])known.Clone();
        for (var pass = 0; pass < passes; pass++)
        {
            var changed = false;
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    var i = y * width + x;
                    if (known[i] != 0) continue;
                    var left = x > 0 && known[i - 1] != 0;
                    var right = x < width - 1 && known[i + 1] != 0;
                    var up = y > 0 && known[i - width] != 0;
                    var down = y < height - 1 && known[i + width] != 0;
                    var count = (left ? 1 : 0) + (right ? 1 : 0) + (up ? 1 : 0) + (down ? 1 : 0);
                    if (count == 0) continue;
                    for (var b = 0; b < tile.Bands; b++)
                    {
                        var plane = tile.Band(b);
                        var sum = (left ? plane[i - 1] : 0) + (right ? plane[i + 1] : 0) + (up ? plane[i - width] : 0) + (down ? plane[i + width] : 0);
                        plane[i] = sum / count;
                    }
                    next[i] = 1;
                    changed = true;
                }
            if (!changed) break;
            Array.Copy(next, known, known.Length);
        }
        // Beyond the rings no valid output depends on a pixel, but a NaN or infinity left there would still reach
        // every output pixel through the model's convolutions: give it a plain zero.
        for (var b = 0; b < tile.Bands; b++)
        {
            var plane = tile.Band(b);
            for (var i = 0; i < plane.Length; i++)
                if (known[i] == 0 && !float.IsFinite(plane[i])) plane[i] = 0;
        }
    }
}
