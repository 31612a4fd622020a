using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.TestSupport;

/// <summary>Super-resolves a whole in-memory scene through a <see cref="TilePlan"/>: the plain reference loop the tests
/// hold the pipelines to. Distributed runs do the same steps with <see cref="ContributionBuilder"/> on workers and
/// <see cref="BlockAccumulator"/> in stitching grains.</summary>
public static class TiledUpscaling
{
    /// <summary>Cuts <paramref name="scene"/> into the plan's tiles, upscales each and blends them into the mosaic.</summary>
    /// <param name="scene">All bands of the scene; its window must be (0, 0, plan.SceneWidth, plan.SceneHeight).</param>
    /// <param name="upscaler">Tile upscaler; the plan should have been made for its edge margin and alignment.</param>
    /// <param name="plan">The tiling.</param>
    /// <param name="nodata">Output value where no valid sample has weight.</param>
    /// <param name="validity">Optional row-major scene mask, 0 = nodata.</param>
    /// <param name="tileOrder">Order in which tiles are processed (repeats allowed); ascending when null. Every tile must appear.</param>
    /// <param name="maxParallelism">Tiles upscaled and blended at once.</param>
    /// <returns>The mosaic over <see cref="TilePlan.OutputWindow"/>.</returns>
    public static RasterBlock Upscale(RasterBlock scene, ITileUpscaler upscaler, TilePlan plan, float nodata = 0f,
        byte[]? validity = null, IEnumerable<int>? tileOrder = null, int maxParallelism = 1)
    {
        var sceneWindow = new PixelWindow(0, 0, plan.SceneWidth, plan.SceneHeight);
        if (scene.Window != sceneWindow)
            throw new ArgumentException($"scene window {scene.Window} does not match the plan's {sceneWindow}", nameof(scene));
        if (validity is not null && validity.Length != sceneWindow.Area)
            throw new ArgumentException($"validity needs {sceneWindow.Area} values, got {validity.Length}", nameof(validity));

        var stitcher = new MosaicStitcher(plan, scene.Bands, nodata);
        var mosaic = new RasterBlock(plan.OutputWindow, scene.Bands);
        Parallel.ForEach(
            tileOrder ?? Enumerable.Range(0, plan.Tiles.Count),
            new ParallelOptions { MaxDegreeOfParallelism = maxParallelism },
            tileIndex =>
            {
                var tile = plan.Tiles[tileIndex];
                var hrTile = upscaler.Upscale(RasterWindows.Crop(scene, tile.LrWindow), plan.Scale.Value, tile.HrWindow);
                var tileValidity = validity is null ? null : RasterWindows.Crop(validity, plan.SceneWidth, tile.LrWindow);
                // Finished blocks are disjoint, so pasting them from several threads is safe.
                foreach (var block in stitcher.AddTile(tileIndex, hrTile, tileValidity))
                    RasterWindows.Paste(block, mosaic);
            });
        if (!stitcher.IsComplete)
            throw new ArgumentException(
                $"tile order left {plan.Blocks.Count - stitcher.FinishedBlockCount} blocks unfinished", nameof(tileOrder));
        return mosaic;
    }
}
