using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Messages;

/// <summary>Wire form of <see cref="ConsistencySums"/> (a tile's consistency sums), which lives in the Orleans-free imaging library.</summary>
[GenerateSerializer, Immutable]
public readonly struct ConsistencySumsSurrogate
{
    [Id(0)] public double[] AbsoluteError { get; init; }
    [Id(1)] public double[] SquaredError { get; init; }
    [Id(2)] public long Pixels { get; init; }
    [Id(3)] public double AngleSum { get; init; }
    [Id(4)] public long AnglePixels { get; init; }
    [Id(5)] public double[] CrossPower { get; init; }
    [Id(6)] public int CrossWindows { get; init; }
    [Id(7)] public double DetailOutput { get; init; }
    [Id(8)] public double DetailBicubic { get; init; }
    [Id(9)] public PixelWindow Cells { get; init; }
    [Id(10)] public double[] CellError { get; init; }
    [Id(11)] public int[] CellPixels { get; init; }
    [Id(12)] public double[] SignedError { get; init; }
    [Id(13)] public double GrainOutput { get; init; }
    [Id(14)] public long GrainOutputBlocks { get; init; }
    [Id(15)] public double GrainInput { get; init; }
    [Id(16)] public long GrainInputBlocks { get; init; }
}

[RegisterConverter]
public sealed class ConsistencySumsSurrogateConverter : IConverter<ConsistencySums, ConsistencySumsSurrogate>
{
    public ConsistencySums ConvertFromSurrogate(in ConsistencySumsSurrogate s) => new(s.AbsoluteError.Length, s.Cells)
    {
        SignedError = s.SignedError, AbsoluteError = s.AbsoluteError, SquaredError = s.SquaredError, Pixels = s.Pixels, AngleSum = s.AngleSum, AnglePixels = s.AnglePixels,
        CrossPower = s.CrossPower, CrossWindows = s.CrossWindows, DetailOutput = s.DetailOutput, DetailBicubic = s.DetailBicubic,
        GrainOutput = s.GrainOutput, GrainOutputBlocks = s.GrainOutputBlocks, GrainInput = s.GrainInput, GrainInputBlocks = s.GrainInputBlocks,
        CellError = s.CellError, CellPixels = s.CellPixels,
    };

    public ConsistencySumsSurrogate ConvertToSurrogate(in ConsistencySums v) => new()
    {
        SignedError = v.SignedError, AbsoluteError = v.AbsoluteError, SquaredError = v.SquaredError, Pixels = v.Pixels, AngleSum = v.AngleSum, AnglePixels = v.AnglePixels,
        CrossPower = v.CrossPower, CrossWindows = v.CrossWindows, DetailOutput = v.DetailOutput, DetailBicubic = v.DetailBicubic,
        GrainOutput = v.GrainOutput, GrainOutputBlocks = v.GrainOutputBlocks, GrainInput = v.GrainInput, GrainInputBlocks = v.GrainInputBlocks,
        Cells = v.Cells, CellError = v.CellError, CellPixels = v.CellPixels,
    };
}

/// <summary>Wire form of <see cref="SceneConsistency"/>.</summary>
[GenerateSerializer, Immutable]
public readonly struct SceneConsistencySurrogate
{
    [Id(0)] public double Inconsistency { get; init; }
    [Id(1)] public double Psnr { get; init; }
    [Id(2)] public double[] BandMae { get; init; }
    [Id(3)] public double[] BandRmse { get; init; }
    [Id(4)] public double? ReflectanceL1 { get; init; }
    [Id(5)] public double? SpectralAngle { get; init; }
    [Id(6)] public double? ShiftX { get; init; }
    [Id(7)] public double? ShiftY { get; init; }
    [Id(8)] public double Detail { get; init; }
    [Id(9)] public long Pixels { get; init; }
    [Id(10)] public string[] Flags { get; init; }
    [Id(11)] public double[] BandBias { get; init; }
    [Id(12)] public double Bias { get; init; }
    [Id(13)] public double Grain { get; init; }
}

[RegisterConverter]
public sealed class SceneConsistencySurrogateConverter : IConverter<SceneConsistency, SceneConsistencySurrogate>
{
    public SceneConsistency ConvertFromSurrogate(in SceneConsistencySurrogate s) =>
        new(s.Inconsistency, s.Bias, s.Psnr, s.BandMae, s.BandRmse, s.BandBias, s.ReflectanceL1, s.SpectralAngle, s.ShiftX, s.ShiftY, s.Detail, s.Grain, s.Pixels, s.Flags);

    public SceneConsistencySurrogate ConvertToSurrogate(in SceneConsistency v) => new()
    {
        Inconsistency = v.Inconsistency, Bias = v.Bias, Psnr = v.Psnr, BandMae = v.BandMae, BandRmse = v.BandRmse, BandBias = v.BandBias, ReflectanceL1 = v.ReflectanceL1,
        SpectralAngle = v.SpectralAngle, ShiftX = v.ShiftX, ShiftY = v.ShiftY, Detail = v.Detail, Grain = v.Grain, Pixels = v.Pixels, Flags = v.Flags,
    };
}
