using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Makes a finished piece of the mosaic ready for the file where it was made: rounds it as stored, encodes its
/// full-resolution tiles, halves it and encodes the overview tiles it still covers whole, and hands on what is left
/// (<see cref="ReducedPiece"/>) for the writer to assemble. A 512² block encodes its four tiles and the one
/// level-1 tile under it, so compression and most of the overviews run in parallel on the silos that hold blocks.
/// </summary>
public static class PieceEncoder
{
    /// <param name="piece">Bands <paramref name="firstBand"/>… of whole tiles of <paramref name="layout"/> (clipped at the
    /// image's right and bottom edges).</param>
    /// <param name="givenUp">The caller is done with <paramref name="piece"/>: it is rounded in place instead of in a copy
    /// (a stitcher's finished block: 4 MB less garbage per block, a full copy of the mosaic per job).</param>
    public static EncodedPiece Encode(RasterBlock piece, int firstBand, TileLayout layout, bool givenUp = false)
    {
        CheckAligned(piece, firstBand, layout);
        var stored = givenUp ? piece : new RasterBlock(piece.Window, piece.Bands, (float[])piece.Data.Clone());
        OverviewReduction.Quantize(stored.Data, layout.SampleType);
        var encoder = TileEncoder.ForThisThread(layout.SampleType, layout.Bands, layout.TileSize, layout.Compression);
        var tiles = new List<EncodedTile>();
        var level = 0;
        while (true)
        {
            var grid = layout.Level(level);
            if (level < layout.StoredLevels.Count) tiles.AddRange(EncodeTiles(stored, firstBand, level, grid, layout, encoder));
            var halved = OverviewReduction.Halve(stored, OverviewReduction.Halved(stored.Window, grid.Width, grid.Height), layout.NoData, layout.SampleType);
            stored = halved;
            level++;
            // Past the last stored level, or where the halved piece no longer covers whole tiles, the writer goes on.
            if (level >= layout.StoredLevels.Count || !CoversWholeTiles(stored.Window, layout.Level(level))) break;
        }
        return new EncodedPiece(piece.Window, firstBand, piece.Bands, tiles, new ReducedPiece(level, stored.Window, stored.Data));
    }

    /// <summary>Encodes every tile of <paramref name="grid"/> inside <paramref name="stored"/>'s window (whole tiles),
    /// each plane apart when band-interleaved.</summary>
    internal static IEnumerable<EncodedTile> EncodeTiles(RasterBlock stored, int firstBand, int level, TileGrid grid, TileLayout layout, TileEncoder encoder)
    {
        var window = stored.Window;
        var planes = layout.BandInterleaved ? stored.Bands : 1;
        for (var plane = 0; plane < planes; plane++)
            for (var row = window.Y / grid.TileSize; row * grid.TileSize < window.Bottom; row++)
                for (var column = window.X / grid.TileSize; column * grid.TileSize < window.Right; column++)
                {
                    var index = grid.IndexOf(column, row) + (layout.BandInterleaved ? (firstBand + plane) * grid.Count : 0);
                    yield return new EncodedTile(level, index, encoder.Encode(grid.Window(column, row), stored, plane));
                }
    }

    /// <summary>Whether <paramref name="window"/> starts on a tile corner of <paramref name="grid"/> and ends on one or at
    /// the image's edge.</summary>
    internal static bool CoversWholeTiles(PixelWindow window, TileGrid grid) =>
        !window.IsEmpty && window.X % grid.TileSize == 0 && window.Y % grid.TileSize == 0
        && (window.Right % grid.TileSize == 0 || window.Right == grid.Width)
        && (window.Bottom % grid.TileSize == 0 || window.Bottom == grid.Height)
        && window.Right <= grid.Width && window.Bottom <= grid.Height;

    static void CheckAligned(RasterBlock block, int firstBand, TileLayout layout)
    {
        if (layout.BandInterleaved ? firstBand < 0 || firstBand + block.Bands > layout.Bands : firstBand != 0 || block.Bands != layout.Bands)
            throw new ArgumentException(
                $"block has bands {firstBand + 1}–{firstBand + block.Bands}, the output {layout.Bands} {(layout.BandInterleaved ? "" : "pixel-interleaved ")}bands", nameof(block));
        if (!CoversWholeTiles(block.Window, layout.Level(0)) || block.Window.X < 0 || block.Window.Y < 0)
            throw new ArgumentException($"block {block.Window} is not made of whole {layout.TileSize}-pixel tiles of the {layout.Width}x{layout.Height} image", nameof(block));
    }
}
