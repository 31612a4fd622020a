using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging;

/// <summary>
/// Bicubic resampling that reproduces PyTorch's <c>interpolate(mode="bicubic", align_corners=False)</c>
/// with an explicit scale factor: cubic convolution with A = −0.75, source coordinate
/// (X + 0.5) / scale − 0.5 computed from global pixel coordinates, taps clamped to the tile's edge.
/// Computing from global coordinates makes every tile agree exactly with the whole-image result
/// wherever its 4×4 support lies inside the tile.
/// </summary>
public sealed class BicubicUpscaler : ITileUpscaler
{
    const double A = -0.75;

    public const string ModelName = "bicubic";

    public string Name => ModelName;

    /// <summary>Two LR pixels: the cubic kernel reaches two taps to each side.</summary>
    public int EdgeMargin => 2;

    public int HrAlignment => 1;

    /// <summary>Taps come from global coordinates: past its margin a tile is a crop of the whole image's result.</summary>
    public bool ExactCrops => true;

    /// <summary>Tiles of about <see cref="TileSideHr"/> output pixels (128 LR px up to ×8, fewer above), so that a tile's
    /// memory does not grow with the square of the scale (at ×32 a 128-px tile is 4096² output pixels per band).</summary>
    public int PreferredTileSize(double scale) => Math.Clamp((int)Math.Ceiling(TileSideHr / scale), 32, new Tiling.TilingOptions().TileSize);

    const int TileSideHr = 1024;

    public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow)
    {
        if (!(scale > 0)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be positive");
        var columns = Taps(hrWindow.X, hrWindow.Width, lrTile.Window.X, lrTile.Width, scale);
        var rows = Taps(hrWindow.Y, hrWindow.Height, lrTile.Window.Y, lrTile.Height, scale);
        var output = new RasterBlock(hrWindow, lrTile.Bands);
        var lrWidth = lrTile.Width;
        var lrHeight = lrTile.Height;
        var outWidth = hrWindow.Width;

        Parallel.For(0, lrTile.Bands, band =>
        {
            // Horizontal pass over every LR row, then vertical pass: separable, 8 taps per output pixel.
            var source = lrTile.Band(band).ToArray();
            // Pooled: half an output band per tile at ×2, which as garbage cost more GC than the pass itself.
            var rented = ArrayPool<float>.Shared.Rent(lrHeight * outWidth);
            var horizontal = rented.AsSpan(0, lrHeight * outWidth);
            for (var y = 0; y < lrHeight; y++)
            {
                var row = y * lrWidth;
                for (var x = 0; x < outWidth; x++)
                {
                    var t = columns[x];
                    horizontal[y * outWidth + x] = (float)(
                        t.W0 * source[row + t.I0] + t.W1 * source[row + t.I1] +
                        t.W2 * source[row + t.I2] + t.W3 * source[row + t.I3]);
                }
            }
            var target = output.Band(band);
            for (var y = 0; y < hrWindow.Height; y++)
            {
                var t = rows[y];
                VerticalRow(horizontal.Slice(t.I0 * outWidth, outWidth), horizontal.Slice(t.I1 * outWidth, outWidth),
                    horizontal.Slice(t.I2 * outWidth, outWidth), horizontal.Slice(t.I3 * outWidth, outWidth), t, target.Slice(y * outWidth, outWidth));
            }
            ArrayPool<float>.Shared.Return(rented);
        });
        return output;
    }

    /// <summary>One output row from the four horizontal-pass rows its taps read: (float)(W0·r0 + W1·r1 + W2·r2 + W3·r3) in
    /// double, vectorised; each lane is the same IEEE operations in the same order as the scalar tail, so the bits do not
    /// depend on the vector width.</summary>
    static void VerticalRow(ReadOnlySpan<float> r0, ReadOnlySpan<float> r1, ReadOnlySpan<float> r2, ReadOnlySpan<float> r3, in Tap t, Span<float> target)
    {
        var v0 = MemoryMarshal.Cast<float, Vector<float>>(r0);
        var v1 = MemoryMarshal.Cast<float, Vector<float>>(r1);
        var v2 = MemoryMarshal.Cast<float, Vector<float>>(r2);
        var v3 = MemoryMarshal.Cast<float, Vector<float>>(r3);
        var targets = MemoryMarshal.Cast<float, Vector<float>>(target);
        var (w0, w1, w2, w3) = (new Vector<double>(t.W0), new Vector<double>(t.W1), new Vector<double>(t.W2), new Vector<double>(t.W3));
        for (var v = 0; v < targets.Length; v++)
        {
            Vector.Widen(v0[v], out var low0, out var high0);
            Vector.Widen(v1[v], out var low1, out var high1);
            Vector.Widen(v2[v], out var low2, out var high2);
            Vector.Widen(v3[v], out var low3, out var high3);
            targets[v] = Vector.Narrow(w0 * low0 + w1 * low1 + w2 * low2 + w3 * low3, w0 * high0 + w1 * high1 + w2 * high2 + w3 * high3);
        }
        for (var x = targets.Length * Vector<float>.Count; x < target.Length; x++)
            target[x] = (float)(t.W0 * r0[x] + t.W1 * r1[x] + t.W2 * r2[x] + t.W3 * r3[x]);
    }

    /// <summary>The four LR samples (clamped to the tile) and cubic weights of one output column or row.</summary>
    internal readonly record struct Tap(int I0, int I1, int I2, int I3, double W0, double W1, double W2, double W3);

    internal static Tap[] Taps(int hrStart, int hrCount, int lrStart, int lrCount, double scale)
    {
        var taps = new Tap[hrCount];
        for (var i = 0; i < hrCount; i++) taps[i] = TapAt(hrStart + i, lrStart, lrCount, scale);
        return taps;
    }

    static Tap TapAt(int hr, int lrStart, int lrCount, double scale)
    {
        var source = (hr + 0.5) / scale - 0.5 - lrStart;
        var floor = Math.Floor(source);
        var t = source - floor;
        var i1 = (int)floor;
        return new Tap(
            Clamp(i1 - 1, lrCount), Clamp(i1, lrCount), Clamp(i1 + 1, lrCount), Clamp(i1 + 2, lrCount),
            Far(t + 1), Near(t), Near(1 - t), Far(2 - t));
    }

    static int Clamp(int index, int count) => Math.Clamp(index, 0, count - 1);

    static double Near(double x) => ((A + 2) * x - (A + 3)) * x * x + 1;

    static double Far(double x) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
}
