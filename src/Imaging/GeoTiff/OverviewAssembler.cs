using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// The writer's part of the overviews: assembles the tiles of each level from <see cref="ReducedPiece"/>s in any
/// order, encodes a tile once every sample of it is in, and halves it into the level below. Only tiles still waiting
/// for a neighbour's piece are held (a row of tiles of each level when blocks arrive row by row), so memory does not
/// grow with the image. Not thread-safe: the writer calls it under its lock.
/// </summary>
internal sealed class OverviewAssembler(TileLayout layout, Action<EncodedTile> place)
{
    readonly Dictionary<(int Level, int Tile), (RasterBlock Pixels, long Filled)> waiting = [];
    readonly TileEncoder encoder = new(layout.SampleType, layout.Bands, layout.TileSize, layout.Compression);

    /// <summary>Tiles started and not finished: zero once every piece of a complete mosaic is in.</summary>
    public int Waiting => waiting.Count;

    /// <summary>Adds bands <paramref name="firstBand"/>… (<paramref name="bands"/> of them) of a reduced piece; a level
    /// not stored (past the last overview) is ignored.</summary>
    public void Add(ReducedPiece piece, int firstBand, int bands)
    {
        if (piece.Level >= layout.StoredLevels.Count) return;
        var grid = layout.StoredLevels[piece.Level];
        var window = piece.Window;
        var source = new RasterBlock(window, bands, piece.Pixels);
        for (var row = window.Y / grid.TileSize; row * grid.TileSize < window.Bottom; row++)
            for (var column = window.X / grid.TileSize; column * grid.TileSize < window.Right; column++)
            {
                var tile = grid.Window(column, row);
                var key = (piece.Level, grid.IndexOf(column, row));
                var (pixels, filled) = waiting.TryGetValue(key, out var started) ? started : (new RasterBlock(tile, layout.Bands), 0L);
                var overlap = tile.Intersect(window);
                Copy(source, pixels, overlap, firstBand);
                filled += overlap.Area * bands;
                if (filled < tile.Area * layout.Bands)
                {
                    waiting[key] = (pixels, filled);
                    continue;
                }
                waiting.Remove(key);
                Finish(piece.Level, grid, pixels);
            }
    }

    void Finish(int level, TileGrid grid, RasterBlock tile)
    {
        foreach (var encoded in PieceEncoder.EncodeTiles(tile, 0, level, grid, layout, encoder)) place(encoded);
        if (level + 1 >= layout.StoredLevels.Count) return;
        var halved = OverviewReduction.Halve(tile, OverviewReduction.Halved(tile.Window, grid.Width, grid.Height), layout.NoData, layout.SampleType);
        Add(new ReducedPiece(level + 1, halved.Window, halved.Data), 0, layout.Bands);
    }

    static void Copy(RasterBlock from, RasterBlock to, PixelWindow area, int firstBand)
    {
        for (var band = 0; band < from.Bands; band++)
        {
            var source = from.Band(band);
            var target = to.Band(firstBand + band);
            for (var y = 0; y < area.Height; y++)
                source.Slice((area.Y - from.Window.Y + y) * from.Width + area.X - from.Window.X, area.Width)
                    .CopyTo(target.Slice((area.Y - to.Window.Y + y) * to.Width + area.X - to.Window.X, area.Width));
        }
    }
}
