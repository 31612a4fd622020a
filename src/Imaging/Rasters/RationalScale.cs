namespace Pipeline.Imaging.Rasters;

/// <summary>
/// A scale factor held as an exact fraction <see cref="Numerator"/>/<see cref="Denominator"/> in lowest terms,
/// so LR→HR offsets and output sizes are computed with integers and never suffer floating-point drift.
/// </summary>
public readonly record struct RationalScale
{
    /// <summary>Relative error within which <see cref="FromDouble"/> accepts a fraction as the scale.</summary>
    public const double DefaultTolerance = 1e-9;

    // Past this the double is not a ratio of small integers; the search would only chase rounding noise.
    const long LargestDenominator = 1_000_000_000;

    /// <summary>Creates p/q, reduced to lowest terms.</summary>
    public RationalScale(long numerator, long denominator)
    {
        if (numerator <= 0) throw new ArgumentOutOfRangeException(nameof(numerator), numerator, "must be positive");
        if (denominator <= 0) throw new ArgumentOutOfRangeException(nameof(denominator), denominator, "must be positive");
        var divisor = GreatestCommonDivisor(numerator, denominator);
        Numerator = numerator / divisor;
        Denominator = denominator / divisor;
    }

    /// <summary>p, positive.</summary>
    public long Numerator { get; }

    /// <summary>q, positive and coprime with p.</summary>
    public long Denominator { get; }

    /// <summary>The scale as a double, the form <see cref="ITileUpscaler.Upscale"/> takes.</summary>
    public double Value => (double)Numerator / Denominator;

    /// <summary>The fraction with the smallest denominator (a continued-fraction convergent) within
    /// <paramref name="relativeTolerance"/> of <paramref name="scale"/>: 2.37 → 237/100, 3.5 → 7/2.</summary>
    public static RationalScale FromDouble(double scale, double relativeTolerance = DefaultTolerance)
    {
        if (!double.IsFinite(scale) || scale <= 0)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be a positive finite number");
        long numerator = 1, previousNumerator = 0, denominator = 0, previousDenominator = 1;
        var remainder = scale;
        while (true)
        {
            var term = Math.Floor(remainder);
            if (term > long.MaxValue / 4) break;
            var whole = (long)term;
            (numerator, previousNumerator) = (checked(whole * numerator + previousNumerator), numerator);
            (denominator, previousDenominator) = (checked(whole * denominator + previousDenominator), denominator);
            if (denominator > LargestDenominator) break;
            if (Math.Abs((double)numerator / denominator - scale) <= relativeTolerance * scale)
                return new RationalScale(numerator, denominator);
            var fraction = remainder - term;
            if (fraction == 0) break;
            remainder = 1 / fraction;
        }
        throw new ArgumentException(
            $"scale {scale:R} is not a ratio of integers with a denominator up to {LargestDenominator}", nameof(scale));
    }

    /// <summary>floor(<paramref name="lr"/> · p / q): the HR coordinate of LR coordinate <paramref name="lr"/> ≥ 0, rounded down.</summary>
    public long HrFloor(long lr) => checked(lr * Numerator) / Denominator;

    /// <summary>ceil(<paramref name="lr"/> · p / q) for <paramref name="lr"/> ≥ 0.</summary>
    public long HrCeiling(long lr) => (checked(lr * Numerator) + Denominator - 1) / Denominator;

    /// <summary>Smallest LR length ≥ 0 whose HR length floor(lr · p / q) reaches <paramref name="hr"/>: ceil(hr · q / p).</summary>
    public long LrCeiling(long hr) => (checked(hr * Denominator) + Numerator - 1) / Numerator;

    /// <summary>The LR pixel that contains the centre of HR pixel <paramref name="hr"/>: floor((hr + 0.5) · q / p).</summary>
    public long LrPixelContaining(long hr) => checked((2 * hr + 1) * Denominator) / (2 * Numerator);

    /// <summary>"p/q", or "p" when q is 1.</summary>
    public override string ToString() => Denominator == 1 ? $"{Numerator}" : $"{Numerator}/{Denominator}";

    internal static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
