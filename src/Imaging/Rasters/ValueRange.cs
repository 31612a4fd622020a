namespace Pipeline.Imaging.Rasters;

/// <summary>
/// The black and white levels a model maps to its [0, 1] range, fixed for a whole scene so that tiles agree.
/// <c>SceneLevels.Of</c> measures them from a scene. Values outside the range are kept by the tile upscaler, not clipped.
/// </summary>
public readonly record struct ValueRange(double Black, double White)
{
    public static readonly ValueRange UInt8 = new(0, 255);

    /// <summary>False for the default value (a range never measured).</summary>
    public bool IsValid => White > Black;
}
