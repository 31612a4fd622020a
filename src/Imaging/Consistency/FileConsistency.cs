using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// The figures a job reports, for any output file against its input (<c>sr consistency</c>): the whole scene measured
/// as one tile, with the job's own levels (<see cref="SceneLevels"/>), so a job's figures and this agree up to the
/// tiles' blend zones. Whole images in memory: meant for checks and studies, not for archive-sized scenes.
/// </summary>
public static class FileConsistency
{
    /// <summary>Output samples a check holds in memory at most (float32): 4 GiB.</summary>
    public const long MaxOutputSamples = 1L << 30;

    public static (SceneConsistency Figures, ConsistencyMap Map) Compare(string inputPath, string outputPath, double? scale = null,
        ConsistencyThresholds? thresholds = null)
    {
        thresholds ??= new ConsistencyThresholds();
        using var input = RasterReaders.Open(inputPath);
        using var output = RasterReaders.Open(outputPath);
        var (li, oi) = (input.Info, output.Info);
        if (li.Bands != oi.Bands) throw new RasterFormatException(outputPath, $"has {oi.Bands} band(s), its input {inputPath} has {li.Bands}");
        if ((long)oi.Width * oi.Height * oi.Bands > MaxOutputSamples)
            throw new RasterFormatException(outputPath, $"{oi.Width}x{oi.Height}x{oi.Bands} is more than a whole-image check holds ({MaxOutputSamples:N0} samples)");
        var rational = RationalScale.FromDouble(scale ?? (double)oi.Width / li.Width);
        if (rational.HrFloor(li.Width) != oi.Width || rational.HrFloor(li.Height) != oi.Height)
            throw new RasterFormatException(outputPath, FormattableString.Invariant(
                $"is {oi.Width}x{oi.Height}, not {li.Width}x{li.Height} at ×{rational.Value:R} ({rational.HrFloor(li.Width)}x{rational.HrFloor(li.Height)}); give --scale"));

        var levels = SceneLevels.Of(input);
        var whole = new PixelWindow(0, 0, li.Width, li.Height);
        var lr = input.Read(whole);
        var validity = input.ReadValidity(whole, lr);
        var hr = output.Read(new PixelWindow(0, 0, oi.Width, oi.Height));
        var map = new ConsistencyMap(li.Width, li.Height);
        var sums = TileConsistency.Measure(lr, validity, hr, whole, rational, levels, map.CellSize);
        map.Add(sums);
        return (SceneConsistency.From(sums, levels, rational.Value, li.BandScales, thresholds), map);
    }
}
