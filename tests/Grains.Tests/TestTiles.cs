using Pipeline.Grains.Messages;
using Pipeline.Grains.Planning;
using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

/// <summary>Deterministic uint16 LR tiles, like a 16-bit satellite scene, and scene-job tiles made of them.</summary>
static class TestTiles
{
    /// <summary>A 640×480 two-band scene at ×2 in 64-px tiles: a few dozen tiles.</summary>
    static readonly PlanParameters Plan = PlanParameters.For(640, 480, 2, new BicubicUpscaler(), new TilingOptions(64));

    public static RasterBlock Lr(PixelWindow window, int bands, int seed)
    {
        var random = new Random(seed);
        var block = new RasterBlock(window, bands);
        for (var i = 0; i < block.Data.Length; i++) block.Data[i] = random.Next(0, 65536);
        return block;
    }

    public static PixelWindow HrWindowOf(PixelWindow lr, int scale) =>
        new(lr.X * scale, lr.Y * scale, lr.Width * scale, lr.Height * scale);

    /// <summary>A tile of a job that has no writer: a worker runs the model on it as on any job's tile, then its
    /// stitchers learn that the job's output is gone (<see cref="TileOutcome.WriterLost"/>) and keep nothing.</summary>
    public static TileTask Task(string jobId, int tileIndex)
    {
        var plan = new TilePlanCache().Get(Plan);
        var tile = tileIndex % plan.Tiles.Count;
        var lr = TilePixels.FromBlock(Lr(plan.Tiles[tile].LrWindow, 2, tile), SampleFormat.UInt16);
        return new TileTask(new StitchContext(jobId, 1, Plan, 2, 0), tile, lr, null, "bicubic", 0, 0, null);
    }
}
