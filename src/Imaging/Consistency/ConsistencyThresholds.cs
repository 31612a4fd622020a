using System.Globalization;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// When a scene's figures flag it. The defaults sit well above what the shipped models produce on the sample scenes
/// and the validation images, and below what a broken output (shifted one LR pixel, bands swapped, noise added, a
/// colour cast) produces; models/README.md has the measurements they were chosen from.
/// </summary>
/// <param name="Inconsistency">Percent of the black–white range (also the map's per-cell flag).</param>
/// <param name="Bias">Percent of the black–white range, the largest band's |mean difference|.</param>
/// <param name="SpectralAngle">Degrees.</param>
/// <param name="Shift">LR pixels.</param>
/// <param name="Grain">Pixel-scale detail relative to the input's (<see cref="SceneConsistency.Grain"/>): noise. Detail
/// added by a model is reported, not flagged: how much is right depends on the ground.</param>
public sealed record ConsistencyThresholds(double Inconsistency = 4.0, double Bias = 1.0, double SpectralAngle = 3.0, double Shift = 0.35, double Grain = 1.0)
{
    public string[] Exceeded(SceneConsistency figures)
    {
        var flags = new List<string>();
        if (figures.Inconsistency > Inconsistency) flags.Add(Invariant($"inconsistency {figures.Inconsistency:0.##} % > {Inconsistency:0.##} %"));
        if (figures.Bias > Bias) flags.Add(Invariant($"colour bias {figures.Bias:0.##} % > {Bias:0.##} %"));
        if (figures.SpectralAngle > SpectralAngle) flags.Add(Invariant($"spectral angle {figures.SpectralAngle:0.##}° > {SpectralAngle:0.##}°"));
        if (figures.Shift > Shift) flags.Add(Invariant($"shift {figures.Shift:0.##} LR px > {Shift:0.##}"));
        if (figures.Grain > Grain) flags.Add(Invariant($"grain {figures.Grain:0.##} > {Grain:0.##}"));
        return [.. flags];
    }

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
