using System.Globalization;
using Pipeline.Grains.Writing;

namespace Pipeline.Client.Batch;

/// <summary>A scene's consistency figures as the batch report records them (<see cref="Imaging.Consistency.SceneConsistency"/>;
/// PSNR null when the match is exact).</summary>
sealed record ConsistencyEntry(
    double InconsistencyPercent, double BiasPercent, double? Psnr, double? ReflectanceL1, double? SpectralAngleDegrees, double? ShiftLrPixels,
    double Detail, double Grain, string[] Flags, string? Map, string? RejectedPath)
{
    public static ConsistencyEntry? Of(WriterReport? writer) => writer?.Consistency is not { } c ? null : new(
        c.Inconsistency, c.Bias, double.IsFinite(c.Psnr) ? c.Psnr : null, c.ReflectanceL1, c.SpectralAngle, c.Shift, c.Detail, c.Grain, c.Flags,
        writer.ConsistencyMap, writer.RejectedPath);
}

/// <summary>Over a batch's measured scenes: how many, how many flagged, the mean and the worst inconsistency and which scene.</summary>
sealed record ConsistencyTotals(int Measured, int Flagged, double MeanInconsistencyPercent, double WorstInconsistencyPercent, string WorstScene)
{
    public static ConsistencyTotals? Of(IReadOnlyList<SceneOutcome> scenes)
    {
        var measured = scenes.Where(s => s.Consistency is not null).ToList();
        if (measured.Count == 0) return null;
        var worst = measured.MaxBy(s => s.Consistency!.InconsistencyPercent)!;
        return new ConsistencyTotals(measured.Count, measured.Count(s => s.Consistency!.Flags.Length > 0),
            measured.Average(s => s.Consistency!.InconsistencyPercent), worst.Consistency!.InconsistencyPercent, worst.Input);
    }

    /// <summary>"; consistency: 2 flagged of 5, worst 1.2 % (scene)" for the summary line.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"; consistency: {Flagged} flagged of {Measured}, mean {MeanInconsistencyPercent:0.###} %, worst {WorstInconsistencyPercent:0.###} % ({Path.GetFileName(WorstScene)})");
}
