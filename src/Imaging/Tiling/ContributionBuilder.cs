using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tiling;

/// <summary>
/// The worker's half of blending: turns one tile's HR output into weighted contributions, one per output block the
/// tile touches. Weights are the plan's separable ramps, zeroed where the LR pixel containing an HR pixel is invalid.
/// </summary>
public static class ContributionBuilder
{
    /// <summary>Contributions of tile <paramref name="tileIndex"/> to each block in <see cref="PlannedTile.Blocks"/>, in that order.</summary>
    /// <param name="plan">The plan the tile belongs to.</param>
    /// <param name="tileIndex">Index of the tile in <see cref="TilePlan.Tiles"/>.</param>
    /// <param name="hrTile">The upscaler's output; its window must be the tile's <see cref="PlannedTile.HrWindow"/>.</param>
    /// <param name="lrValidity">Optional validity of the tile's LR pixels, row-major over <see cref="PlannedTile.LrWindow"/>;
    /// 0 marks nodata. HR pixels whose centre falls in an invalid LR pixel get weight 0.</param>
    public static TileContribution[] Build(TilePlan plan, int tileIndex, RasterBlock hrTile, byte[]? lrValidity = null)
    {
        var tile = plan.Tiles[tileIndex];
        if (hrTile.Window != tile.HrWindow)
            throw new ArgumentException($"tile {tileIndex} must cover HR window {tile.HrWindow}, got {hrTile.Window}", nameof(hrTile));
        if (lrValidity is not null && lrValidity.Length != tile.LrWindow.Area)
            throw new ArgumentException(
                $"validity of tile {tileIndex} needs {tile.LrWindow.Area} values for LR window {tile.LrWindow}, got {lrValidity.Length}",
                nameof(lrValidity));

        var horizontal = plan.HorizontalWeights(tileIndex);
        var vertical = plan.VerticalWeights(tileIndex);
        var lrColumnOf = lrValidity is null ? null : LrColumnsOfHrColumns(plan.Scale, tile);
        var contributions = new TileContribution[tile.Blocks.Count];
        for (var k = 0; k < contributions.Length; k++)
        {
            var blockIndex = tile.Blocks[k];
            var window = tile.WeightedWindow.Intersect(plan.Blocks[blockIndex].Window);
            var (width, height) = (window.Width, window.Height);
            // Every element is written below, so skip zeroing these (up to block-sized) arrays.
            var weights = GC.AllocateUninitializedArray<float>((int)window.Area);
            var sums = GC.AllocateUninitializedArray<float>(hrTile.Bands * (int)window.Area);
            var tileX = window.X - tile.HrWindow.X;
            for (var row = 0; row < height; row++)
            {
                var tileY = window.Y + row - tile.HrWindow.Y;
                var weightRow = weights.AsSpan(row * width, width);
                SpanMath.Scale(horizontal.Slice(tileX, width), vertical[tileY], weightRow);
                if (lrValidity is not null)
                {
                    var lrRow = (int)plan.Scale.LrPixelContaining(window.Y + row) - tile.LrWindow.Y;
                    var validityRow = lrValidity.AsSpan(lrRow * tile.LrWindow.Width, tile.LrWindow.Width);
                    if (validityRow.Contains((byte)0))
                        ZeroInvalid(weightRow, validityRow, lrColumnOf.AsSpan(tileX, width));
                }
                for (var band = 0; band < hrTile.Bands; band++)
                    SpanMath.Weigh(
                        hrTile.Band(band).Slice(tileY * hrTile.Width + tileX, width), weightRow,
                        sums.AsSpan((band * height + row) * width, width));
            }
            contributions[k] = new TileContribution(tileIndex, blockIndex, window, hrTile.Bands, sums, weights);
        }
        return contributions;
    }

    /// <summary>For each HR column of the tile, the tile-local LR column containing its centre.</summary>
    static int[] LrColumnsOfHrColumns(RationalScale scale, PlannedTile tile)
    {
        var map = new int[tile.HrWindow.Width];
        for (var x = 0; x < map.Length; x++)
            map[x] = (int)scale.LrPixelContaining(tile.HrWindow.X + x) - tile.LrWindow.X;
        return map;
    }

    static void ZeroInvalid(Span<float> weightRow, ReadOnlySpan<byte> validityRow, ReadOnlySpan<int> lrColumnOf)
    {
        for (var x = 0; x < weightRow.Length; x++)
            if (validityRow[lrColumnOf[x]] == 0) weightRow[x] = 0;
    }
}
