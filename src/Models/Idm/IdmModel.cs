using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Models.Idm;

/// <summary>
/// IDM as one module (and one weights file): the EDSR encoder that makes the condition image and the UNet that
/// predicts ε, with SR3's schedule (T = 2000, β linear 1e-6 → 1e-2, continuous √ᾱ) and a DDIM sampler (η = 0).
/// </summary>
public sealed class IdmModel : nn.Module
{
    readonly EdsrEncoder encoder;
    readonly IdmUNet unet;

    public IdmModel(IdmConfig config) : base(nameof(IdmModel))
    {
        Config = config;
        encoder = new EdsrEncoder(config.EdsrBlocks, config.EdsrChannels);
        unet = new IdmUNet(config);
        AlphasCumprod = new double[config.DiffusionSteps];
        var cumulative = 1.0;
        for (var t = 0; t < config.DiffusionSteps; t++)
        {
            cumulative *= 1 - (config.BetaStart + (config.BetaEnd - config.BetaStart) * t / (config.DiffusionSteps - 1));
            AlphasCumprod[t] = cumulative;
        }
        RegisterComponents();
    }

    public IdmConfig Config { get; }

    /// <summary>ᾱ_t for t = 0 … T−1 (the reference's alphas_cumprod).</summary>
    public double[] AlphasCumprod { get; }

    /// <summary>x₀ = TargetScale · (HR − bicubic LR) for residual configs (1 / its standard deviation, measured when
    /// training starts, like LDM's latent scale factor); 1 otherwise.</summary>
    public double TargetScale { get; set; } = 1.0;

    public EdsrEncoder Encoder => encoder;
    public IdmUNet UNet => unet;

    /// <summary>Bicubic LR on the HR grid, the residual target's base (zero for non-residual configs).</summary>
    public Tensor Base(Tensor lr, TileGeometry geometry) => Config.ResidualTarget
        ? Resampler.Resize(lr, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic)
        : zeros(lr.shape[0], 3, geometry.HrHeight, geometry.HrWidth, device: lr.device);

    /// <summary>The diffusion target x₀ for an HR image.</summary>
    public Tensor Target(Tensor hr, Tensor baseImage) => (hr - baseImage) * TargetScale;

    public Tensor NormalisedScales(long batch, double scale, Device device) =>
        full(batch, (float)Config.NormalisedScale(scale), device: device);

    /// <summary>
    /// DDIM (η = 0) from the scene-wide noise field with <paramref name="steps"/> network evaluations at the
    /// "trailing" timesteps τ_k = ⌈(k + 1)·T/steps⌉ − 1 (k = steps−1 … 0; the first is T−1, so sampling starts at the
    /// noise level it was trained for), the last step going to ᾱ = 1. The reference's loop (stride T/steps from
    /// T − stride, steps − 1 evaluations) starts one stride below pure noise. Only the initial noise is random, read at
    /// the geometry's global HR coordinates, so tiles agree wherever their receptive fields do.
    /// </summary>
    /// <param name="lr">[B, 3, h, w] in [-1, 1].</param>
    /// <returns>[B, 3, H, W] in [-1, 1].</returns>
    /// <param name="timesteps">The trailing schedule above, or the reference's own loop (<see cref="DdimTimesteps.Reference"/>).</param>
    /// <param name="initialNoise">x_T instead of the scene noise field: how a test feeds the reference code's noise.</param>
    public Tensor Sample(Tensor lr, TileGeometry geometry, int steps, ulong seed, double temperature = 1.0,
        DdimTimesteps timesteps = DdimTimesteps.Trailing, Tensor? initialNoise = null)
    {
        if (steps < 1 || steps > Config.DiffusionSteps) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"DDIM steps must be 1..{Config.DiffusionSteps}");
        if (timesteps == DdimTimesteps.Reference) return SampleAsReference(lr, geometry, steps, seed, temperature, initialNoise);
        using var scope = NewDisposeScope();
        var batch = lr.shape[0];
        var condition = encoder.forward(lr, geometry);
        var p = NormalisedScales(batch, geometry.Scale, lr.device);
        var baseImage = Base(lr, geometry);
        // x̂₀ is clipped to the targets of images inside [-1, 1], as SR3's ancestral sampler clips its x̂₀ to [-1, 1].
        var (low, high) = ((-1 - baseImage) * TargetScale, (1 - baseImage) * TargetScale);
        var x = (initialNoise?.to(lr.device) ?? InitialNoise(geometry, seed, batch, lr.device)) * temperature;
        for (var k = steps - 1; k >= 0; k--)
        {
            var alpha = AlphasCumprod[Timestep(k, steps)];
            var alphaNext = k > 0 ? AlphasCumprod[Timestep(k - 1, steps)] : 1.0;
            using var step = NewDisposeScope();
            var epsilon = unet.forward(x, condition, p, full(batch, (float)Math.Sqrt(alpha), device: lr.device));
            var x0 = ((x - epsilon * Math.Sqrt(1 - alpha)) / Math.Sqrt(alpha)).clamp(low, high);
            var previous = x;
            x = (x0 * Math.Sqrt(alphaNext) + epsilon * Math.Sqrt(1 - alphaNext)).MoveToOuterDisposeScope();
            previous.Dispose();
        }
        var sr = baseImage + x / TargetScale;
        return sr.clamp(-1, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reference's DDIM loop (Ree1s/IDM <c>generalized_steps</c>, with its 200 steps generalised to
    /// <paramref name="steps"/>): the timesteps 0, s, 2s, … below T with s = ⌊T/steps⌋, from the highest down, each step
    /// going to the one below (the last to i = 0, not to ᾱ = 1), x̂₀ not clipped. What an imported reference checkpoint
    /// was measured with.
    /// </summary>
    Tensor SampleAsReference(Tensor lr, TileGeometry geometry, int steps, ulong seed, double temperature, Tensor? initialNoise)
    {
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "the reference's DDIM loop needs at least 2 steps");
        using var scope = NewDisposeScope();
        var batch = lr.shape[0];
        var condition = encoder.forward(lr, geometry);
        var p = NormalisedScales(batch, geometry.Scale, lr.device);
        var baseImage = Base(lr, geometry);
        var x = (initialNoise?.to(lr.device) ?? InitialNoise(geometry, seed, batch, lr.device)) * temperature;
        var stride = Config.DiffusionSteps / steps;
        for (var i = (Config.DiffusionSteps - 1) / stride * stride; i > 0; i -= stride)
        {
            var alpha = AlphasCumprod[i];
            var alphaNext = AlphasCumprod[i - stride];
            using var step = NewDisposeScope();
            var epsilon = unet.forward(x, condition, p, full(batch, (float)Math.Sqrt(alpha), device: lr.device));
            var x0 = (x - epsilon * Math.Sqrt(1 - alpha)) / Math.Sqrt(alpha);
            var previous = x;
            x = (x0 * Math.Sqrt(alphaNext) + epsilon * Math.Sqrt(1 - alphaNext)).MoveToOuterDisposeScope();
            previous.Dispose();
        }
        var sr = baseImage + x / TargetScale;
        return sr.clamp(-1, 1).MoveToOuterDisposeScope();
    }

    /// <summary>x_T for the geometry's HR grid: the crop at its global HR origin of the scene-wide field (step 0).</summary>
    public static Tensor InitialNoise(TileGeometry geometry, ulong seed, long batch, Device device) =>
        SceneNoise.Tensor(seed, 0, 3, Enumerable.Repeat(((long)geometry.HrY, (long)geometry.HrX), (int)batch).ToList(),
            geometry.HrHeight, geometry.HrWidth, device);

    /// <summary>τ_k, the ᾱ index of DDIM step k (0 … steps−1) of <paramref name="steps"/>.</summary>
    public int Timestep(int k, int steps) => (int)Math.Ceiling((k + 1) * (double)Config.DiffusionSteps / steps) - 1;
}
