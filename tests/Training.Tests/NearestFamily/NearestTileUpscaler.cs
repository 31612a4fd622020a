using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Training.Tests.NearestFamily;

/// <summary>Each output pixel takes the LR pixel its centre falls in: floor((x + ½) / s).</summary>
public sealed class NearestTileUpscaler : ITileUpscaler
{
    public string Name => NearestFamily.Kind;

    public int EdgeMargin => 0;

    public int HrAlignment => 1;

    public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow)
    {
        var output = new RasterBlock(hrWindow, lrTile.Bands);
        for (var band = 0; band < lrTile.Bands; band++)
            for (var y = 0; y < hrWindow.Height; y++)
                for (var x = 0; x < hrWindow.Width; x++)
                    output[band, x, y] = lrTile[band, Source(hrWindow.X + x, scale, lrTile.Window.X, lrTile.Width), Source(hrWindow.Y + y, scale, lrTile.Window.Y, lrTile.Height)];
        return output;
    }

    /// <summary>The LR index (within the tile) of global HR index <paramref name="hr"/>.</summary>
    public static int Source(int hr, double scale, int lrOrigin, int lrSize) =>
        Math.Clamp((int)Math.Floor((hr + 0.5) / scale) - lrOrigin, 0, lrSize - 1);
}
