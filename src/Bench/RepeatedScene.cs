using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Bench;

/// <summary>A real scene repeated n × n times into one larger GeoTIFF (tiled, Deflate, no overviews; the source's
/// georeferencing, so it starts where the source does): a big input with real texture for the GDAL comparison, one
/// copy of the source in memory.</summary>
static class RepeatedScene
{
    public static void Write(string source, int times, string path)
    {
        using var reader = GeoTiffReader.Open(source);
        var info = reader.Info;
        var pixels = reader.Read(new PixelWindow(0, 0, info.Width, info.Height));
        // Whole copies would straddle the writer's 256-px tiles: write 256-px rows of the mosaic, cut from the copies.
        var mosaic = info with { Width = info.Width * times, Height = info.Height * times };
        using var writer = RasterSinks.Create(path, mosaic, new OutputFormat(OutputKind.GeoTiff));
        const int Strip = 256;
        for (var top = 0; top < mosaic.Height; top += Strip)
        {
            var block = new RasterBlock(new PixelWindow(0, top, mosaic.Width, Math.Min(Strip, mosaic.Height - top)), info.Bands);
            for (var band = 0; band < info.Bands; band++)
                for (var y = 0; y < block.Height; y++)
                    for (var x = 0; x < block.Width; x++)
                        block[band, x, y] = pixels[band, x % info.Width, (top + y) % info.Height];
            writer.Write(block);
        }
        writer.Commit();
    }
}
