using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>The seam score sits at the no-seam level for blended mosaics and rises clearly for mosaics stitched
/// without blending, so a regression that brings seams back makes it fail.</summary>
public class SeamScoreTests
{
    const int Width = 230, Height = 180, Bands = 2;

    [Theory]
    [InlineData(2.0, 64, 16)]
    [InlineData(3.5, 64, 24)]
    [InlineData(4.0, 64, 16)]
    [InlineData(2.37, 128, 16)]
    public void Blended_mosaic_scores_as_seamless(double scale, int tileSize, int overlap)
    {
        var (scene, plan) = Setup(scale, tileSize, overlap);

        var score = SeamScore.Measure(TiledUpscaling.Upscale(scene, new BicubicUpscaler(), plan), plan);

        Assert.InRange(score.Ratio, 0.85, 1.15);
        Assert.True(score.BoundaryPairs > 0 && score.InteriorPairs > score.BoundaryPairs);
    }

    [Theory]
    [InlineData(2.0, 64, 16)]
    [InlineData(3.5, 64, 24)]
    [InlineData(4.0, 64, 16)]
    [InlineData(2.37, 128, 16)]
    public void Pasting_whole_tiles_without_blending_scores_clearly_higher(double scale, int tileSize, int overlap)
    {
        var (scene, plan) = Setup(scale, tileSize, overlap);
        var mosaic = new RasterBlock(plan.OutputWindow, Bands);
        // Tiles read without their outer taps (as a plan in LR space did): clamped taps make each tile's edge wrong.
        foreach (var (tile, hrTile) in UpscaleTiles(scene, plan, dcOffset: 0, trimTaps: true))
            Paste(hrTile, tile.HrWindow, mosaic);

        var score = SeamScore.Measure(mosaic, plan);
        Assert.True(score.Ratio > 1.4, score.ToString());
    }

    [Theory]
    [InlineData(2.0, 64, 16)]
    [InlineData(3.5, 64, 24)]
    [InlineData(4.0, 64, 16)]
    [InlineData(2.37, 128, 16)]
    public void Cutting_at_overlap_middles_with_per_tile_offsets_scores_clearly_higher(double scale, int tileSize, int overlap)
    {
        var (scene, plan) = Setup(scale, tileSize, overlap);
        var columnCuts = Cuts(plan.Tiles.Take(plan.TileColumns).Select(t => (t.HrWindow.X, t.HrWindow.Right)).ToArray());
        var rowCuts = Cuts(plan.Tiles.Where(t => t.Column == 0).Select(t => (t.HrWindow.Y, t.HrWindow.Bottom)).ToArray());
        var mosaic = new RasterBlock(plan.OutputWindow, Bands);
        foreach (var (tile, hrTile) in UpscaleTiles(scene, plan, dcOffset: 15))
        {
            // The tile's share of a centre-cut mosaic: from the cut before it to the cut after it.
            var core = new PixelWindow(columnCuts[tile.Column], rowCuts[tile.Row],
                columnCuts[tile.Column + 1] - columnCuts[tile.Column], rowCuts[tile.Row + 1] - rowCuts[tile.Row]);
            Paste(Crop(hrTile, core), core, mosaic);
        }

        var score = SeamScore.Measure(mosaic, plan);
        Assert.True(score.Ratio > 2, score.ToString());
    }

    [Fact]
    public void Single_tile_scores_one()
    {
        var plan = TilePlan.Create(40, 30, 2, new BicubicUpscaler());
        var mosaic = TiledUpscaling.Upscale(Scenes.SmoothFieldWithNoise(40, 30, 1, 3), new BicubicUpscaler(), plan);

        Assert.Equal(1.0, SeamScore.Measure(mosaic, plan).Ratio);
    }

    static (RasterBlock Scene, TilePlan Plan) Setup(double scale, int tileSize, int overlap) =>
        (Scenes.SmoothFieldWithNoise(Width, Height, Bands, seed: 5),
         TilePlan.Create(Width, Height, scale, new BicubicUpscaler(), new TilingOptions(tileSize, overlap, 256)));

    static IEnumerable<(PlannedTile Tile, RasterBlock HrTile)> UpscaleTiles(RasterBlock scene, TilePlan plan, float dcOffset, bool trimTaps = false)
    {
        foreach (var tile in plan.Tiles)
        {
            var lr = tile.LrWindow;
            if (trimTaps)
            {
                // The LR pixels under the HR window only: drop the taps read past its first and last pixel centres.
                var (x0, y0) = (tile.Column > 0 ? lr.X + 2 : lr.X, tile.Row > 0 ? lr.Y + 2 : lr.Y);
                var (x1, y1) = (tile.Column < plan.TileColumns - 1 ? lr.Right - 3 : lr.Right, tile.Row < plan.TileRows - 1 ? lr.Bottom - 3 : lr.Bottom);
                lr = new PixelWindow(x0, y0, x1 - x0, y1 - y0);
            }
            var hrTile = new BicubicUpscaler().Upscale(Crop(scene, lr), plan.Scale.Value, tile.HrWindow);
            // Checkerboard ± offsets, like per-tile colour matching gone wrong: every seam steps by 2 × the offset.
            var offset = (tile.Column + tile.Row) % 2 == 0 ? dcOffset : -dcOffset;
            for (var i = 0; i < hrTile.Data.Length; i++) hrTile.Data[i] += offset;
            yield return (tile, hrTile);
        }
    }

    static int[] Cuts((int Start, int End)[] spans)
    {
        var cuts = new int[spans.Length + 1];
        for (var i = 1; i < spans.Length; i++) cuts[i] = (spans[i].Start + spans[i - 1].End) / 2;
        cuts[^1] = spans[^1].End;
        return cuts;
    }

    static RasterBlock Crop(RasterBlock source, PixelWindow window)
    {
        var crop = new RasterBlock(window, source.Bands);
        for (var b = 0; b < source.Bands; b++)
            for (var y = 0; y < window.Height; y++)
                for (var x = 0; x < window.Width; x++)
                    crop[b, x, y] = source[b, window.X - source.Window.X + x, window.Y - source.Window.Y + y];
        return crop;
    }

    static void Paste(RasterBlock source, PixelWindow window, RasterBlock target)
    {
        for (var b = 0; b < source.Bands; b++)
            for (var y = 0; y < window.Height; y++)
                for (var x = 0; x < window.Width; x++)
                    target[b, window.X + x, window.Y + y] = source[b, x, y];
    }
}
