using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Bench;

/// <summary>
/// Writes a synthetic RGB uint8 scene of any size through <see cref="RasterSinks"/> (a GeoTIFF: tiled, Deflate, no overviews),
/// one 1024-px block at a time, so making a 20 000 × 20 000 scene holds one block in memory. The pattern mixes smooth
/// waves with fine texture, so the upscaler and the output's compression have something like imagery to work on.
/// </summary>
static class SyntheticScene
{
    const int Block = 1024;

    public static void Write(string path, int size)
    {
        var info = new RasterInfo { Width = size, Height = size, Bands = 3, SampleType = RasterSampleType.Byte, IsRgb = true };
        var waveX = Enumerable.Range(0, size).Select(x => (float)(60 * Math.Sin(x / 37.0) + 20 * Math.Sin(x / 5.3))).ToArray();
        var waveY = Enumerable.Range(0, size).Select(y => (float)(50 * Math.Cos(y / 53.0) + 15 * Math.Sin(y / 7.1))).ToArray();
        using var writer = RasterSinks.Create(path, info, new OutputFormat(OutputKind.GeoTiff));
        for (var top = 0; top < size; top += Block)
            for (var left = 0; left < size; left += Block)
            {
                var block = new RasterBlock(new PixelWindow(left, top, Math.Min(Block, size - left), Math.Min(Block, size - top)), info.Bands);
                for (var band = 0; band < info.Bands; band++)
                    for (var y = 0; y < block.Height; y++)
                        for (var x = 0; x < block.Width; x++)
                        {
                            var (column, row) = (left + x, top + y);
                            var texture = ((column * 7) ^ (row * 13) ^ (band * 29)) & 15;
                            block[band, x, y] = Math.Clamp(128 + waveX[column] + waveY[row] * (band + 1) / 2 + texture, 0, 255);
                        }
                writer.Write(block);
            }
        writer.Commit();
    }
}
