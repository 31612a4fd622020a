using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Training.Evaluation;

/// <summary>The consistency figures of an evaluated output against its LR, measured as a job measures a tile (whole
/// image, levels 0–255, the exact ratio of the image sizes as scale).</summary>
public static class EvaluationConsistency
{
    public static SceneConsistency Of(byte[] lr, int lrWidth, int lrHeight, byte[] output, int width, int height)
    {
        var (input, result, scale) = Blocks(lr, lrWidth, lrHeight, output, width, height);
        var sums = TileConsistency.Measure(input, null, result, input.Window, scale, ValueRange.UInt8, 1);
        return SceneConsistency.From(sums, ValueRange.UInt8, scale.Value, [null, null, null], new ConsistencyThresholds());
    }

    /// <summary>The output back-projected onto its LR (<see cref="ConsistencyEnforcer"/>), rounded to uint8 again.</summary>
    public static byte[] Enforce(byte[] lr, int lrWidth, int lrHeight, byte[] output, int width, int height)
    {
        var (input, result, scale) = Blocks(lr, lrWidth, lrHeight, output, width, height);
        var enforced = ConsistencyEnforcer.Apply(input, null, result, scale, result.Window);
        return Array.ConvertAll(enforced.Data, v => (byte)Math.Clamp(MathF.Round(v), 0, 255));
    }

    static (RasterBlock Input, RasterBlock Output, RationalScale Scale) Blocks(byte[] lr, int lrWidth, int lrHeight, byte[] output, int width, int height) => (
        new RasterBlock(new PixelWindow(0, 0, lrWidth, lrHeight), 3, Array.ConvertAll(lr, b => (float)b)),
        new RasterBlock(new PixelWindow(0, 0, width, height), 3, Array.ConvertAll(output, b => (float)b)),
        new RationalScale(width, lrWidth));
}
