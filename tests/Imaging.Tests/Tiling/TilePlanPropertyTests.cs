using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>Invariants of plans over many random scenes, scales, tilings, margins and alignments.</summary>
public class TilePlanPropertyTests
{
    static readonly double[] Scales = [1, 1.25, 1.5, 2, 2.37, 2.5, 8.0 / 3, 3, 3.3333, Math.PI, 3.5, 4, 6, 1.0 + 1.0 / 7, 31.9];

    [Fact]
    public void Random_plans_cover_the_scene_with_whole_aligned_offsets_and_exact_block_lists()
    {
        var random = new Random(2024);
        var (checkedPlans, multiTilePlans) = (0, 0);
        for (var attempt = 0; attempt < 500 && checkedPlans < 150; attempt++)
        {
            var width = 1 + random.Next(random.Next(5) == 0 ? 40 : 300);
            var height = 1 + random.Next(random.Next(5) == 0 ? 40 : 300);
            var scale = Scales[random.Next(Scales.Length)];
            var tileSize = 8 + random.Next(random.Next(2) == 0 ? 40 : 160);
            var overlap = random.Next(tileSize / 2);
            var edgeMargin = random.Next(4);
            var alignment = new[] { 1, 2, 4, 8 }[random.Next(4)];
            var blockSize = 256 * (1 + random.Next(2));
            var swathBlocks = random.Next(3); // 0 = automatic (one swath at these sizes), 1 or 2 split wide scenes
            TilePlan plan;
            try
            {
                plan = TilePlan.Create(width, height, scale, edgeMargin, alignment, new TilingOptions(tileSize, overlap, blockSize, swathBlocks));
            }
            catch (ArgumentException)
            {
                continue; // infeasible combination; the validation tests cover the messages
            }
            CheckPlan(plan, overlap);
            checkedPlans++;
            if (plan.TileColumns > 1 && plan.TileRows > 1) multiTilePlans++;
        }
        Assert.True(checkedPlans >= 100 && multiTilePlans >= 40, $"only {checkedPlans} feasible plans, {multiTilePlans} with a 2-D grid");
    }

    static void CheckPlan(TilePlan plan, int overlap)
    {
        var (p, q) = (plan.Scale.Numerator, plan.Scale.Denominator);
        var context = $"{plan.SceneWidth}x{plan.SceneHeight} s={plan.Scale} {plan.Options} margin={plan.EdgeMargin} align={plan.HrAlignment}";
        Assert.True(plan.OutputWidth == plan.SceneWidth * p / q && plan.OutputHeight == plan.SceneHeight * p / q, context);
        CheckSwathOrder(plan, context);

        var lrCover = new int[plan.SceneWidth * plan.SceneHeight];
        foreach (var tile in plan.Tiles)
        {
            var lr = tile.LrWindow;
            var hr = tile.HrWindow;
            Assert.True(new PixelWindow(0, 0, plan.SceneWidth, plan.SceneHeight).Contains(lr) && !lr.IsEmpty, context);
            Assert.True(hr.X % plan.HrAlignment == 0 && hr.Y % plan.HrAlignment == 0, context);
            Assert.True(plan.OutputWindow.Contains(hr) && !hr.IsEmpty, context);
            // The LR window holds every bicubic tap of the HR window's pixel centres (clamped at the scene edge only).
            Assert.True(lr.X == Math.Max(0, Math.Floor(Centre(hr.X, p, q)) - 1) && lr.Y == Math.Max(0, Math.Floor(Centre(hr.Y, p, q)) - 1), context);
            Assert.True(lr.Right == Math.Min(plan.SceneWidth, Math.Floor(Centre(hr.Right - 1, p, q)) + 3), context);
            Assert.True(lr.Bottom == Math.Min(plan.SceneHeight, Math.Floor(Centre(hr.Bottom - 1, p, q)) + 3), context);
            // HR tiles at most the plan's tile size.
            Assert.InRange(hr.Width, 1, plan.TileSizeHr);
            Assert.InRange(hr.Height, 1, plan.TileSizeHr);
            for (var y = lr.Y; y < lr.Bottom; y++)
                for (var x = lr.X; x < lr.Right; x++)
                    lrCover[y * plan.SceneWidth + x]++;
        }
        Assert.DoesNotContain(0, lrCover);
        CheckNeighbourOverlaps(plan, overlap, context);
        CheckWeights(plan, context);
        CheckBlocks(plan, context);
    }

    static double Centre(int hr, long p, long q) => (hr + 0.5) * q / p - 0.5;

    /// <summary>Indices are positions; swaths come in order, each row-major; every grid cell is planned at least once
    /// and at most once per swath; a scene of one swath is the plain row-major grid.</summary>
    static void CheckSwathOrder(TilePlan plan, string context)
    {
        for (var i = 0; i < plan.Tiles.Count; i++)
        {
            var tile = plan.Tiles[i];
            Assert.Equal(i, tile.Index);
            if (i == 0) continue;
            var previous = plan.Tiles[i - 1];
            Assert.True(previous.Swath < tile.Swath || previous.Swath == tile.Swath
                && (previous.Row < tile.Row || previous.Row == tile.Row && previous.Column < tile.Column), context);
        }
        var cells = plan.Tiles.Select(t => (t.Column, t.Row)).Distinct().Count();
        Assert.Equal(plan.TileColumns * plan.TileRows, cells);
        Assert.Equal(plan.Tiles.Count, plan.Tiles.Select(t => (t.Column, t.Row, t.Swath)).Distinct().Count());
        if (plan.BlockColumns <= plan.SwathBlocks) Assert.Equal(plan.TileColumns * plan.TileRows, plan.Tiles.Count);
    }

    static void CheckNeighbourOverlaps(TilePlan plan, int overlap, string context)
    {
        PlannedTile At(int column, int row) => plan.Tiles.First(t => t.Column == column && t.Row == row);
        // Planned in HR space: neighbours share at least the overlap in HR pixels, and tiles of an axis are of one size.
        for (var c = 1; c < plan.TileColumns; c++)
            Assert.True(At(c - 1, 0).HrWindow.Right - At(c, 0).HrWindow.X >= plan.OverlapHr, context);
        for (var r = 1; r < plan.TileRows; r++)
            Assert.True(At(0, r - 1).HrWindow.Bottom - At(0, r).HrWindow.Y >= plan.OverlapHr, context);
        for (var c = 1; c + 1 < plan.TileColumns; c++) Assert.Equal(At(0, 0).HrWindow.Width, At(c, 0).HrWindow.Width);
        for (var r = 1; r + 1 < plan.TileRows; r++) Assert.Equal(At(0, 0).HrWindow.Height, At(0, r).HrWindow.Height);
    }

    /// <summary>Weights are positive exactly on each tile's weighted window, zero over the edge margin of interior
    /// sides, one up to the scene border, and every HR pixel gets positive total weight.</summary>
    static void CheckWeights(TilePlan plan, string context)
    {
        var total = new double[plan.OutputWindow.Area];
        foreach (var tile in plan.Tiles)
        {
            var horizontal = plan.HorizontalWeights(tile.Index);
            var vertical = plan.VerticalWeights(tile.Index);
            Assert.Equal(tile.HrWindow.Width, horizontal.Length);
            Assert.Equal(tile.HrWindow.Height, vertical.Length);
            CheckProfile(horizontal, tile.HrWindow.X, tile.WeightedWindow.X, tile.WeightedWindow.Right, plan, tile.Column > 0,
                tile.Column < plan.TileColumns - 1, context);
            CheckProfile(vertical, tile.HrWindow.Y, tile.WeightedWindow.Y, tile.WeightedWindow.Bottom, plan, tile.Row > 0,
                tile.Row < plan.TileRows - 1, context);
            for (var y = 0; y < vertical.Length; y++)
                for (var x = 0; x < horizontal.Length; x++)
                    total[(tile.HrWindow.Y + y) * plan.OutputWidth + tile.HrWindow.X + x] += horizontal[x] * vertical[y];
        }
        Assert.True(total.All(w => w > 0), $"an HR pixel has no weight: {context}");
    }

    static void CheckProfile(ReadOnlySpan<float> weights, int start, int weightedStart, int weightedEnd, TilePlan plan,
        bool interiorBefore, bool interiorAfter, string context)
    {
        Assert.True(weightedStart - start == (interiorBefore ? plan.EdgeMarginHr : 0), context);
        Assert.True(start + weights.Length - weightedEnd == (interiorAfter ? plan.EdgeMarginHr : 0), context);
        for (var i = 0; i < weights.Length; i++)
        {
            var inside = start + i >= weightedStart && start + i < weightedEnd;
            Assert.True(inside ? weights[i] > 0 && weights[i] <= 1 : weights[i] == 0, context);
        }
        if (!interiorBefore) Assert.Equal(1f, weights[0]);
        if (!interiorAfter) Assert.Equal(1f, weights[^1]);
    }

    /// <summary>Blocks tile the mosaic, and the contributor lists are exactly the tiles of the block's swath whose
    /// weighted window meets the block, both ways, in ascending order.</summary>
    static void CheckBlocks(TilePlan plan, string context)
    {
        Assert.Equal(plan.OutputWindow.Area, plan.Blocks.Sum(b => b.Window.Area));
        foreach (var block in plan.Blocks)
        {
            Assert.True(plan.OutputWindow.Contains(block.Window) && !block.Window.IsEmpty, context);
            Assert.True(block.Window.X % plan.Options.BlockSize == 0 && block.Window.Y % plan.Options.BlockSize == 0, context);
            var expected = plan.Tiles.Where(t => t.Swath == block.Column / plan.SwathBlocks && !t.WeightedWindow.Intersect(block.Window).IsEmpty)
                .Select(t => t.Index);
            Assert.Equal(expected, block.Contributors);
        }
        foreach (var tile in plan.Tiles)
            Assert.Equal(plan.Blocks.Where(b => b.Contributors.Contains(tile.Index)).Select(b => b.Index), tile.Blocks);
    }

    [Fact]
    public void Swaths_change_the_order_of_work_but_not_what_any_block_sums()
    {
        var random = new Random(77);
        var splitPlans = 0;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var (width, height) = (100 + random.Next(600), 20 + random.Next(200));
            var scale = Scales[random.Next(Scales.Length)];
            var tileSize = 16 + random.Next(100);
            var overlap = 4 + random.Next(tileSize / 2 - 2);
            TilePlan Plan(int swathBlocks) =>
                TilePlan.Create(width, height, scale, 1, 1, new TilingOptions(tileSize, overlap, 256, swathBlocks));
            TilePlan whole, split;
            try
            {
                (whole, split) = (Plan(int.MaxValue / 1024), Plan(1 + random.Next(2)));
            }
            catch (ArgumentException)
            {
                continue;
            }
            if (split.Tiles.Count > whole.Tiles.Count) splitPlans++;
            Assert.Equal(whole.Blocks.Count, split.Blocks.Count);
            for (var b = 0; b < whole.Blocks.Count; b++)
            {
                var cells = (TilePlan plan) => plan.Blocks[b].Contributors.Select(i => (plan.Tiles[i].Column, plan.Tiles[i].Row, plan.Tiles[i].LrWindow));
                Assert.Equal(cells(whole), cells(split));
            }
        }
        Assert.True(splitPlans >= 50, $"only {splitPlans} plans were split into swaths");
    }

    [Fact]
    public void A_wide_scene_keeps_its_open_blocks_within_a_swath()
    {
        // 20 000 LR px wide at ×2 with 128-px tiles: the automatic swath is 4096 HR px (8 blocks).
        var plan = TilePlan.Create(20_000, 600, 2, 1, 1, new TilingOptions());
        Assert.Equal(8, plan.SwathBlocks);
        var remaining = plan.Blocks.Select(b => b.Contributors.Count).ToArray();
        var (open, mostOpen) = (new HashSet<int>(), 0);
        foreach (var tile in plan.Tiles)
            foreach (var block in tile.Blocks)
            {
                open.Add(block);
                mostOpen = Math.Max(mostOpen, open.Count);
                if (--remaining[block] == 0) open.Remove(block);
            }
        Assert.All(remaining, r => Assert.Equal(0, r));
        Assert.InRange(mostOpen, 1, 2 * plan.SwathBlocks + 2);
        Assert.InRange(plan.Tiles.Count / (double)(plan.TileColumns * plan.TileRows), 1, 1.1);
    }
}
