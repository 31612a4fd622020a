using System.Numerics;
using System.Runtime.InteropServices;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// The degradation the models were trained with (Pillow's antialiased bicubic, a = −0.5, support widened by the
/// scale), as taps along one axis: LR pixel x is the normalised cubic-weighted mean of the HR pixels within 2·s of its
/// centre (x + ½)·s. Taps outside the HR pixels at hand (the scene's edge, or a tile's) are dropped and the rest
/// renormalised, as Pillow does at an image's edge. Computed in double, without Pillow's 8-bit rounding.
/// </summary>
public static class AntialiasedBicubic
{
    /// <summary>First HR index (relative to <paramref name="hrStart"/>) and normalised weights of each LR pixel.</summary>
    public readonly record struct Taps(int First, double[] Weights);

    /// <param name="lrStart">First LR pixel (scene coordinates).</param>
    /// <param name="lrCount">LR pixels.</param>
    /// <param name="scale">HR pixels per LR pixel.</param>
    /// <param name="hrStart">First HR pixel available (scene coordinates).</param>
    /// <param name="hrLength">HR pixels available.</param>
    public static Taps[] Axis(int lrStart, int lrCount, double scale, int hrStart, int hrLength)
    {
        var support = 2 * scale;
        var taps = new Taps[lrCount];
        for (var i = 0; i < lrCount; i++)
        {
            var centre = (lrStart + i + 0.5) * scale;
            var first = Math.Max((int)Math.Floor(centre - support + 0.5), hrStart);
            var end = Math.Min((int)Math.Floor(centre + support + 0.5), hrStart + hrLength);
            var weights = new double[Math.Max(0, end - first)];
            double sum = 0;
            for (var j = 0; j < weights.Length; j++) sum += weights[j] = Cubic((first + j - centre + 0.5) / scale);
            for (var j = 0; j < weights.Length; j++) weights[j] /= sum;
            taps[i] = new Taps(first - hrStart, weights);
        }
        return taps;
    }

    /// <summary><paramref name="output"/> degraded to the LR pixels <paramref name="owned"/> into <paramref name="result"/>:
    /// band-sequential, row-major over them (band b's pixel i at b · owned.Area + i).</summary>
    public static void Degrade(RasterBlock output, PixelWindow owned, double scale, Span<double> result)
    {
        if (result.Length != output.Bands * owned.Area)
            throw new ArgumentException($"expected {output.Bands * owned.Area} values for {output.Bands} bands of {owned}, got {result.Length}", nameof(result));
        var width = owned.Width;
        var columns = Axis(owned.X, width, scale, output.Window.X, output.Width);
        var rows = Axis(owned.Y, owned.Height, scale, output.Window.Y, output.Height);
        // Vertical taps first, over whole HR rows at once (vectorised), then each LR pixel's horizontal taps over that row.
        var (firstColumn, endColumn) = columns.Length == 0 ? (0, 0) : (columns.Min(t => t.First), columns.Max(t => t.First + t.Weights.Length));
        var vertical = new double[endColumn - firstColumn];
        for (var b = 0; b < output.Bands; b++)
        {
            var band = output.Band(b);
            var target = result.Slice(b * owned.Height * width, owned.Height * width);
            for (var y = 0; y < owned.Height; y++)
            {
                Array.Clear(vertical);
                var (first, weights) = rows[y];
                for (var j = 0; j < weights.Length; j++)
                    AddWeighted(band.Slice((first + j) * output.Width + firstColumn, vertical.Length), weights[j], vertical);
                for (var x = 0; x < width; x++)
                {
                    var (column, taps) = columns[x];
                    var samples = vertical.AsSpan(column - firstColumn, taps.Length);
                    double sum = 0;
                    for (var j = 0; j < taps.Length; j++) sum += taps[j] * samples[j];
                    target[y * width + x] = sum;
                }
            }
        }
    }

    /// <summary><paramref name="sums"/>[i] += <paramref name="weight"/> · <paramref name="samples"/>[i], in double; each vector
    /// lane is the same IEEE operation as the scalar tail.</summary>
    static void AddWeighted(ReadOnlySpan<float> samples, double weight, Span<double> sums)
    {
        var sampleVectors = MemoryMarshal.Cast<float, Vector<float>>(samples);
        var sumVectors = MemoryMarshal.Cast<double, Vector<double>>(sums);
        var w = new Vector<double>(weight);
        for (var v = 0; v < sampleVectors.Length; v++)
        {
            Vector.Widen(sampleVectors[v], out var low, out var high);
            sumVectors[2 * v] += w * low;
            sumVectors[2 * v + 1] += w * high;
        }
        for (var i = sampleVectors.Length * Vector<float>.Count; i < samples.Length; i++) sums[i] += weight * samples[i];
    }

    /// <summary>Pillow's bicubic kernel, a = −0.5 (support 2).</summary>
    public static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }
}
