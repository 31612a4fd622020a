using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// Which LR pixels a tile measures, so that every pixel of a scene is measured once: along each axis, those whose HR
/// centre lies between the middles of the tile's overlaps with its neighbours (where their blend weights cross), and,
/// for a tile column planned in two swaths, only on its own swath's side. Far enough from the tile's edges that the
/// degradation's support (2 LR px) lies within the tile's output for the plans TilingOptions makes.
/// </summary>
public static class TileOwnership
{
    public static PixelWindow OwnedLrWindow(TilePlan plan, int tileIndex)
    {
        var tile = plan.Tiles[tileIndex];
        var (left, right) = Bounds(plan.TileColumns, tile.Column, plan.ColumnHrRange);
        var swathWidth = (double)plan.SwathBlocks * plan.Options.BlockSize;
        if (tile.Swath > 0) left = Math.Max(left, tile.Swath * swathWidth);
        if ((tile.Swath + 1) * swathWidth < plan.OutputWidth) right = Math.Min(right, (tile.Swath + 1) * swathWidth);
        var (top, bottom) = Bounds(plan.TileRows, tile.Row, plan.RowHrRange);
        var s = plan.Scale.Value;
        var (x0, x1) = (Math.Max(First(left, s), tile.LrWindow.X), Math.Min(First(right, s), tile.LrWindow.Right));
        var (y0, y1) = (Math.Max(First(top, s), tile.LrWindow.Y), Math.Min(First(bottom, s), tile.LrWindow.Bottom));
        return new PixelWindow(x0, y0, Math.Max(0, x1 - x0), Math.Max(0, y1 - y0));
    }

    /// <summary>The HR interval [start, end) of segment <paramref name="index"/>'s share of the axis.</summary>
    static (double Start, double End) Bounds(int count, int index, Func<int, (int Start, int End)> range)
    {
        var (start, end) = range(index);
        var low = index == 0 ? double.NegativeInfinity : (start + range(index - 1).End) / 2.0;
        var high = index == count - 1 ? double.PositiveInfinity : (range(index + 1).Start + end) / 2.0;
        return (low, high);
    }

    /// <summary>The first LR pixel whose HR centre (x + ½)·s is at or after <paramref name="hr"/>.</summary>
    static int First(double hr, double scale) =>
        double.IsNegativeInfinity(hr) ? int.MinValue : double.IsPositiveInfinity(hr) ? int.MaxValue : (int)Math.Ceiling(hr / scale - 0.5);
}
