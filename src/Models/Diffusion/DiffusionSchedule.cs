namespace Pipeline.Models.Diffusion;

/// <summary>
/// The LDM "linear" schedule β_t = linspace(√β_start, √β_end, T)² and the DDPM posterior coefficients
/// (v_posterior = 0). E²DiffSR uses T = 4, β 0.1 → 0.99 (docs/models.md §1.3 table); LCMSR uses T = 1000,
/// β 0.0015 → 0.0155.
/// </summary>
public sealed class DiffusionSchedule
{
    public DiffusionSchedule(int steps, double betaStart, double betaEnd)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps));
        Steps = steps;
        Betas = new double[steps];
        AlphasCumprod = new double[steps];
        PosteriorVariance = new double[steps];
        PosteriorCoefX0 = new double[steps];
        PosteriorCoefXt = new double[steps];
        var a = Math.Sqrt(betaStart);
        var b = Math.Sqrt(betaEnd);
        var cumulative = 1.0;
        for (var t = 0; t < steps; t++)
        {
            var root = steps == 1 ? a : a + (b - a) * t / (steps - 1);
            var beta = root * root;
            var previous = cumulative;
            cumulative *= 1 - beta;
            Betas[t] = beta;
            AlphasCumprod[t] = cumulative;
            PosteriorVariance[t] = beta * (1 - previous) / (1 - cumulative);
            PosteriorCoefX0[t] = beta * Math.Sqrt(previous) / (1 - cumulative);
            PosteriorCoefXt[t] = (1 - previous) * Math.Sqrt(1 - beta) / (1 - cumulative);
        }
    }

    public int Steps { get; }
    public double[] Betas { get; }
    public double[] AlphasCumprod { get; }
    public double[] PosteriorVariance { get; }
    public double[] PosteriorCoefX0 { get; }
    public double[] PosteriorCoefXt { get; }

    public double SqrtAlphaCumprod(int t) => Math.Sqrt(AlphasCumprod[t]);
    public double SqrtOneMinusAlphaCumprod(int t) => Math.Sqrt(1 - AlphasCumprod[t]);
}
