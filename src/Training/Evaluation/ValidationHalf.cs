namespace Pipeline.Training.Evaluation;

/// <summary>Which part of a validation folder to use: settings are chosen on <see cref="Tune"/>, figures reported on
/// <see cref="Report"/>, so no reported figure comes from the images a choice was made on.</summary>
public enum ValidationHalf
{
    All,
    Tune,
    Report,
}

public static class ValidationHalves
{
    /// <summary>The images of one half: of the paths in ordinal order, the even positions (0, 2, …) are the tuning
    /// half and the odd ones the reporting half. Fixed by the folder's content alone, so every run and machine agrees,
    /// and each sub-folder (class, site) lands in both halves.</summary>
    public static IReadOnlyList<string> Select(IReadOnlyList<string> orderedPaths, ValidationHalf half) => half switch
    {
        ValidationHalf.All => orderedPaths,
        ValidationHalf.Tune => orderedPaths.Where((_, i) => i % 2 == 0).ToList(),
        ValidationHalf.Report => orderedPaths.Where((_, i) => i % 2 == 1).ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(half)),
    };
}
