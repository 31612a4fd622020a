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
            var horizontal = new float[lrHeight * outWidth];
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
                int r0 = t.I0 * outWidth, r1 = t.I1 * outWidth, r2 = t.I2 * outWidth, r3 = t.I3 * outWidth;
                var dst = y * outWidth;
                for (var x = 0; x < outWidth; x++)
                {
                    target[dst + x] = (float)(
                        t.W0 * horizontal[r0 + x] + t.W1 * horizontal[r1 + x] +
                        t.W2 * horizontal[r2 + x] + t.W3 * horizontal[r3 + x]);
                }
            }
        });
        return output;
    }

    /// <summary>Σ over bands of |4-neighbour Laplacian| of <see cref="Upscale"/> over <paramref name="lrTile"/> at HR pixel
    /// (<paramref name="hrX"/>, <paramref name="hrY"/>) (scene coordinates): for a measurement that needs a few points
    /// rather than a whole image, so no allocation.</summary>
    public static double AbsoluteLaplacianAt(RasterBlock lrTile, double scale, int hrX, int hrY)
    {
        var (x0, width) = (lrTile.Window.X, lrTile.Width);
        var (y0, height) = (lrTile.Window.Y, lrTile.Height);
        var (left, centre, right) = (TapAt(hrX - 1, x0, width, scale), TapAt(hrX, x0, width, scale), TapAt(hrX + 1, x0, width, scale));
        var (up, middle, down) = (TapAt(hrY - 1, y0, height, scale), TapAt(hrY, y0, height, scale), TapAt(hrY + 1, y0, height, scale));
        double sum = 0;
        for (var band = 0; band < lrTile.Bands; band++)
        {
            var (data, plane) = (lrTile.Data, band * width * height);
            double Horizontal(in Tap column, int y)
            {
                var row = plane + y * width;
                return column.W0 * data[row + column.I0] + column.W1 * data[row + column.I1] + column.W2 * data[row + column.I2] + column.W3 * data[row + column.I3];
            }
            double At(in Tap column, in Tap row) =>
                row.W0 * Horizontal(column, row.I0) + row.W1 * Horizontal(column, row.I1) + row.W2 * Horizontal(column, row.I2) + row.W3 * Horizontal(column, row.I3);
            sum += Math.Abs(4 * At(centre, middle) - At(left, middle) - At(right, middle) - At(centre, up) - At(centre, down));
        }
        return sum;
    }

    readonly record struct Tap(int I0, int I1, int I2, int I3, double W0, double W1, double W2, double W3);

    static Tap[] Taps(int hrStart, int hrCount, int lrStart, int lrCount, double scale)
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
