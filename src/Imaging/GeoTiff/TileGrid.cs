using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>The square tiles covering an image of one resolution level, numbered row by row as TIFF does.</summary>
internal readonly record struct TileGrid(int Width, int Height, int TileSize)
{
    public int Across => (Width + TileSize - 1) / TileSize;
    public int Down => (Height + TileSize - 1) / TileSize;
    public int Count => Across * Down;

    public int IndexOf(int column, int row) => row * Across + column;

    /// <summary>Tile (<paramref name="column"/>, <paramref name="row"/>) clipped to the image.</summary>
    public PixelWindow Window(int column, int row)
    {
        var x = column * TileSize;
        var y = row * TileSize;
        return new PixelWindow(x, y, Math.Min(TileSize, Width - x), Math.Min(TileSize, Height - y));
    }

    /// <summary>
    /// Grids of the overview levels (2×, 4×, …, each half the previous rounded up), until one fits in a single tile.
    /// </summary>
    public IEnumerable<TileGrid> OverviewLevels()
    {
        for (var level = this; level.Width > TileSize || level.Height > TileSize;)
        {
            level = level with { Width = (level.Width + 1) / 2, Height = (level.Height + 1) / 2 };
            yield return level;
        }
    }
}
