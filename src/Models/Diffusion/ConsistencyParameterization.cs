namespace Pipeline.Models.Diffusion;

/// <summary>
/// LCMSR's boundary condition (docs/models.md §3): f(x, t) = c_skip(t)·x + c_out(t)·F(x, t) with u = 10·t/T,
/// c_skip = σ_d² / (u² + σ_d²), c_out = u / √(u² + σ_d²), σ_d = 0.5, so f(x, 0) = x.
/// </summary>
public static class ConsistencyParameterization
{
    public const double SigmaData = 0.5;
    public const double TimestepScaling = 10.0;

    public static double CSkip(int t, int steps)
    {
        var u = TimestepScaling * t / steps;
        return SigmaData * SigmaData / (u * u + SigmaData * SigmaData);
    }

    public static double COut(int t, int steps)
    {
        var u = TimestepScaling * t / steps;
        return u / Math.Sqrt(u * u + SigmaData * SigmaData);
    }
}
