using System.Runtime.Intrinsics;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Stored values and their 2×2 averages. An overview pixel averages the four pixels under it <em>as stored</em>
/// (rounded to the output type), nodata left out, and is itself rounded before the next level is made from it,
/// so overviews are the same whichever part of the mosaic (a block's owner, the writer) reduces them.
/// </summary>
public static class OverviewReduction
{
    /// <summary>Rounds every sample in place as the file stores it: integers half away from zero, clamped to the type's
    /// range, NaN to 0; float32 unchanged.</summary>
    public static void Quantize(Span<float> samples, RasterSampleType type)
    {
        var (low, high) = type switch
        {
            RasterSampleType.Byte => (byte.MinValue, byte.MaxValue),
            RasterSampleType.UInt16 => (ushort.MinValue, ushort.MaxValue),
            RasterSampleType.Int16 => (short.MinValue, (int)short.MaxValue),
            RasterSampleType.Float32 => (0, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
        if (type == RasterSampleType.Float32) return;
        // floor(v + 0.5) in double is exact for every float; clamping before the conversion maps large values as a
        // saturating conversion would, and NaN becomes 0. Eight samples at a time where the CPU has the vectors.
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (half, lowest, highest) = (Vector256.Create(0.5d), Vector256.Create((double)low), Vector256.Create((double)high));
            for (; i + Vector256<float>.Count <= samples.Length; i += Vector256<float>.Count)
            {
                var values = Vector256.Create<float>(samples.Slice(i, Vector256<float>.Count));
                var (lower, upper) = Vector256.Widen(values);
                Vector256<double> Round(Vector256<double> v) => Vector256.ConditionalSelect(Vector256.Equals(v, v),
                    Vector256.Min(Vector256.Max(Vector256.Floor(v + half), lowest), highest), Vector256<double>.Zero);
                Vector256.Narrow(Round(lower), Round(upper)).CopyTo(samples.Slice(i, Vector256<float>.Count));
            }
        }
        for (; i < samples.Length; i++) samples[i] = Math.Clamp((int)Math.Floor(samples[i] + 0.5d), low, high);
    }

    /// <summary>The window of level k+1 that halving <paramref name="window"/> of level k (even origin) gives, in an image
    /// <paramref name="levelWidth"/> × <paramref name="levelHeight"/> at level k.</summary>
    public static PixelWindow Halved(PixelWindow window, int levelWidth, int levelHeight)
    {
        var right = window.Right == levelWidth ? (levelWidth + 1) / 2 : window.Right / 2;
        var bottom = window.Bottom == levelHeight ? (levelHeight + 1) / 2 : window.Bottom / 2;
        return new PixelWindow(window.X / 2, window.Y / 2, right - window.X / 2, bottom - window.Y / 2);
    }

    /// <summary>Averages 2×2 pixels of <paramref name="source"/> (whose origin is even) into each pixel of
    /// <paramref name="target"/>, rounded as stored.</summary>
    public static RasterBlock Halve(RasterBlock source, PixelWindow target, double? noData, RasterSampleType type)
    {
        var result = new RasterBlock(target, source.Bands);
        var skip = noData.HasValue;
        var noDataValue = (float)(noData ?? 0);
        bool IsNoData(float value) => skip && (value == noDataValue || (float.IsNaN(noDataValue) && float.IsNaN(value)));

        for (var band = 0; band < source.Bands; band++)
        {
            var from = source.Band(band);
            var to = result.Band(band);
            for (var y = 0; y < target.Height; y++)
            {
                // At an odd edge the last pixel pairs with itself, which leaves the average unchanged.
                var top = 2 * y * source.Width;
                var bottom = Math.Min(2 * y + 1, source.Height - 1) * source.Width;
                for (var x = 0; x < target.Width; x++)
                {
                    var left = 2 * x;
                    var right = Math.Min(2 * x + 1, source.Width - 1);
                    float sum = 0;
                    if (!skip)
                    {
                        // No nodata: the same additions in the same order, without a test per sample.
                        sum += from[top + left];
                        sum += from[top + right];
                        sum += from[bottom + left];
                        sum += from[bottom + right];
                        to[y * target.Width + x] = sum / 4;
                        continue;
                    }
                    var count = 0;
                    foreach (var value in (ReadOnlySpan<float>)[from[top + left], from[top + right], from[bottom + left], from[bottom + right]])
                    {
                        if (IsNoData(value)) continue;
                        sum += value;
                        count++;
                    }
                    to[y * target.Width + x] = count == 0 ? noDataValue : sum / count;
                }
            }
        }
        Quantize(result.Data, type);
        return result;
    }
}
