using Pipeline.Grains.Messages;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Writing;

/// <summary>Some bands (from <paramref name="FirstBand"/> on) of a rectangle of whole writer tiles of a finished block.</summary>
public sealed record BlockPiece(RasterBlock Pixels, int FirstBand);

/// <summary>
/// Cuts a finished block into pieces that each fit one message as float32 (<see cref="TilePixels.MaxBytes"/>) and
/// that the writer can write as they come: whole writer tiles, and every band unless the output is band-interleaved,
/// where a piece may carry a group of bands. A 512² block of up to 32 bands goes whole; rows of writer tiles, then
/// single tiles, then band groups are what a larger one is cut into, so any block size and band count can travel.
/// </summary>
public static class BlockPieces
{
    public static IEnumerable<BlockPiece> Split(RasterBlock block, int writerTileSize, bool bandInterleaved, long maxBytes = TilePixels.MaxBytes)
    {
        var window = block.Window;
        var bandBytes = window.Area * sizeof(float);
        if (bandBytes * block.Bands <= maxBytes)
        {
            yield return new BlockPiece(block, 0);
            yield break;
        }
        var groupBands = bandInterleaved ? (int)Math.Clamp(maxBytes / bandBytes, 1, block.Bands) : block.Bands;
        var tilesPerPiece = (int)Math.Max(1, maxBytes / ((long)writerTileSize * writerTileSize * groupBands * sizeof(float)));
        var tilesAcross = (window.Width + writerTileSize - 1) / writerTileSize;
        var (width, height) = tilesPerPiece >= tilesAcross
            ? (window.Width, tilesPerPiece / tilesAcross * writerTileSize)
            : (tilesPerPiece * writerTileSize, writerTileSize);
        for (var firstBand = 0; firstBand < block.Bands; firstBand += groupBands)
            for (var top = 0; top < window.Height; top += height)
                for (var left = 0; left < window.Width; left += width)
                {
                    var piece = new PixelWindow(window.X + left, window.Y + top, Math.Min(width, window.Width - left), Math.Min(height, window.Height - top));
                    yield return new BlockPiece(Copy(block, piece, firstBand, Math.Min(groupBands, block.Bands - firstBand)), firstBand);
                }
    }

    static RasterBlock Copy(RasterBlock block, PixelWindow piece, int firstBand, int bands)
    {
        var copy = new RasterBlock(piece, bands);
        var (left, top) = (piece.X - block.Window.X, piece.Y - block.Window.Y);
        for (var band = 0; band < bands; band++)
        {
            var from = block.Band(firstBand + band);
            var to = copy.Band(band);
            for (var y = 0; y < piece.Height; y++)
                from.Slice((top + y) * block.Width + left, piece.Width).CopyTo(to.Slice(y * piece.Width, piece.Width));
        }
        return copy;
    }
}
