using Pipeline.Grains.Messages;
using Pipeline.Imaging;

namespace Pipeline.Grains.Writing;

/// <summary>
/// Cuts a finished block into row strips that each fit one message as float32 (<see cref="TilePixels.MaxBytes"/>)
/// and are made of whole writer tiles, so the writer can write every strip as it comes. A 512² block of up to
/// 32 bands goes whole.
/// </summary>
public static class BlockStrips
{
    /// <summary>Rows per strip for blocks of this width and band count: a multiple of <paramref name="writerTileSize"/>.</summary>
    /// <exception cref="ArgumentException">Even one row of writer tiles is over the message cap.</exception>
    public static int RowsPerStrip(int width, int bands, int writerTileSize)
    {
        var tileRowBytes = TilePixels.ByteCount(new PixelWindow(0, 0, width, writerTileSize), bands, SampleFormat.Float32);
        if (tileRowBytes > TilePixels.MaxBytes)
            throw new ArgumentException(
                $"one {writerTileSize}-pixel row of a {width}-pixel-wide output block of {bands} bands takes {tileRowBytes} bytes, " +
                $"over the {TilePixels.MaxBytes}-byte message limit; use a smaller block size");
        return (int)(TilePixels.MaxBytes / tileRowBytes) * writerTileSize;
    }

    public static IEnumerable<RasterBlock> Split(RasterBlock block, int writerTileSize)
    {
        var rows = RowsPerStrip(block.Width, block.Bands, writerTileSize);
        if (rows >= block.Height)
        {
            yield return block;
            yield break;
        }
        var window = block.Window;
        for (var first = 0; first < window.Height; first += rows)
        {
            var height = Math.Min(rows, window.Height - first);
            var strip = new RasterBlock(new PixelWindow(window.X, window.Y + first, window.Width, height), block.Bands);
            for (var band = 0; band < block.Bands; band++)
                block.Band(band).Slice(first * window.Width, height * window.Width).CopyTo(strip.Band(band));
            yield return strip;
        }
    }
}
