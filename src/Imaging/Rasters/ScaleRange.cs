namespace Pipeline.Imaging.Rasters;

/// <summary>The scales the product accepts, any real number in [<see cref="Min"/>, <see cref="Max"/>]: the one rule the
/// plan, the in-process job and the cluster's job spec all check.</summary>
public static class ScaleRange
{
    public const double Min = 1;

    /// <summary>Above this a scale is taken for a mistake rather than attempted.</summary>
    public const double Max = 32;

    public static bool Contains(double scale) => double.IsFinite(scale) && scale >= Min && scale <= Max;

    /// <summary>The one-line problem for a scale outside the range.</summary>
    public static string Problem(double scale) => $"scale {scale} is outside the supported range [{Min}, {Max}]";
}
