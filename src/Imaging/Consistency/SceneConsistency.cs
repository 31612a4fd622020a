using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// How faithful a scene's output is to its input, without ground truth (the figures every job reports).
/// </summary>
/// <param name="Inconsistency">Mean |D(SR) − LR| over the measured pixels of the worst band, in percent of the scene's
/// black–white range (the worst band, so that a cast in one band is not averaged away by the others): the headline
/// figure, and what <c>--max-inconsistency</c> bounds.</param>
/// <param name="Bias">The largest |mean D(SR) − LR| of a band, in percent of the range: a colour cast.</param>
/// <param name="Psnr">PSNR of D(SR) against LR over all bands, peak = the black–white range (dB).</param>
/// <param name="BandMae">Mean |D(SR) − LR| per band, in the band's units (DN).</param>
/// <param name="BandRmse">Root mean square of D(SR) − LR per band (DN).</param>
/// <param name="BandBias">Mean D(SR) − LR per band (DN): a colour cast or low-frequency drift.</param>
/// <param name="ReflectanceL1">opensr-test's reflectance L1 (mean over bands of the MAE times the band's GDAL scale),
/// when every band has a scale; otherwise null.</param>
/// <param name="SpectralAngle">Mean angle between LR and D(SR) band vectors (degrees); null for one band.</param>
/// <param name="ShiftX">Displacement of D(SR) from LR along x by phase correlation (LR px); null without texture.</param>
/// <param name="ShiftY">The same along y.</param>
/// <param name="Detail">High-frequency energy of the output over that of bicubic of the same input (1 = bicubic's).</param>
/// <param name="Grain">Pixel-scale detail (mean |diagonal Haar|, 2×2) of the output over the input's divided by the scale
/// (what a 1/f ground spectrum predicts at the output's finer pixels), the latter floored at <see cref="GrainFloor"/> so
/// that flat ground is not flagged for grain nobody can see. The models give 0.5–0.8, bicubic less; added noise is
/// well above 1.</param>
/// <param name="Pixels">LR pixels measured.</param>
/// <param name="Flags">What is over its threshold (<see cref="ConsistencyThresholds"/>); empty when none.</param>
public sealed record SceneConsistency(
    double Inconsistency, double Bias, double Psnr, double[] BandMae, double[] BandRmse, double[] BandBias, double? ReflectanceL1, double? SpectralAngle,
    double? ShiftX, double? ShiftY, double Detail, double Grain, long Pixels, string[] Flags)
{
    public double? Shift => ShiftX is { } x && ShiftY is { } y ? Math.Sqrt(x * x + y * y) : null;

    public bool Flagged => Flags.Length > 0;

    /// <summary>The least expected pixel-scale detail: 0.4 % of the range (mean |Haar HH|, about 1.3 DN of 8-bit noise).</summary>
    public const double GrainFloor = 0.004;


    /// <param name="sums">The scene's sums (tile sums added in tile order).</param>
    /// <param name="levels">The scene's black and white.</param>
    /// <param name="bandScales">Each band's GDAL scale (reflectance per DN), or null where none.</param>
    /// <param name="scale">The output's scale.</param>
    public static SceneConsistency From(ConsistencySums sums, ValueRange levels, double scale, IReadOnlyList<double?> bandScales, ConsistencyThresholds thresholds)
    {
        var n = Math.Max(1, sums.Pixels);
        var range = levels.White - levels.Black;
        var mae = sums.AbsoluteError.Select(e => e / n).ToArray();
        var bias = sums.SignedError.Select(e => e / n).ToArray();
        var rmse = sums.SquaredError.Select(e => Math.Sqrt(e / n)).ToArray();
        var mse = sums.SquaredError.Sum() / n / sums.Bands;
        double? l1 = bandScales.Count == sums.Bands && bandScales.All(s => s is not null)
            ? mae.Select((m, b) => m * Math.Abs(bandScales[b]!.Value)).Average()
            : null;
        var shift = sums.CrossWindows > 0 ? PhaseCorrelation.Shift(sums.CrossPower) : null;
        var figures = new SceneConsistency(
            Inconsistency: 100 * mae.Max() / range,
            Bias: 100 * bias.Max(Math.Abs) / range,
            Psnr: mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(range * range / mse),
            BandMae: mae, BandRmse: rmse, BandBias: bias, ReflectanceL1: l1,
            SpectralAngle: sums.AnglePixels > 0 ? sums.AngleSum / sums.AnglePixels : null,
            ShiftX: shift?.Dx, ShiftY: shift?.Dy,
            Detail: sums.DetailBicubic > 0 ? sums.DetailOutput / sums.DetailBicubic : 1,
            Grain: sums.GrainOutputBlocks > 0 && sums.GrainInputBlocks > 0
                ? sums.GrainOutput / sums.GrainOutputBlocks / Math.Max(sums.GrainInput / sums.GrainInputBlocks / scale, GrainFloor)
                : 0,
            Pixels: sums.Pixels, Flags: []);
        return figures with { Flags = thresholds.Exceeded(figures) };
    }
}
