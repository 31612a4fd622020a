using Pipeline.Models.Weights;
using Pipeline.Models.Geometry;
using Pipeline.Models.Inference;
using static TorchSharp.torch;

namespace Pipeline.Models.Idm;

/// <summary><see cref="TorchTileUpscaler"/> over an <see cref="IdmModel"/>: DDIM with the sampling options' steps (0: the
/// default), its initial noise read from the scene-wide field at global HR coordinates. Runs as <c>idm-CONFIG</c>
/// and serves jobs that ask for that name.</summary>
public sealed class IdmTileUpscaler : TorchTileUpscaler
{
    /// <summary>DDIM steps when the options give none: see models/README.md, "IDM" (quality against steps).</summary>
    public const int DefaultSteps = 50;

    readonly IdmModel model;
    readonly Device device;
    readonly DdimTimesteps timesteps;

    public IdmTileUpscaler(IdmModel model, TileUpscalerOptions? options = null, Device? device = null) : base(options)
    {
        var sampler = Options.SamplingOrDefault.Sampler;
        timesteps = IdmFamily.TimestepsOf(sampler)
            ?? throw new ArgumentException($"IDM samples with {IdmFamily.Ddim} or {IdmFamily.DdimReference} (--steps), not the {sampler} sampler");
        this.device = device ?? CPU;
        this.model = model.to(this.device);
        this.model.eval();
        Bf16Convolutions.Apply(this.model, Options.Precision);
    }

    public static IdmTileUpscaler Load(string weightsPath, TileUpscalerOptions? options = null, Device? device = null) =>
        new(IdmWeights.Load(weightsPath), options, device) { WeightsSha256 = WeightsDigest.Of(weightsPath) };

    public IdmModel Model => model;

    public int Steps => Options.SamplingOrDefault.Steps is > 0 and var steps ? steps : DefaultSteps;

    protected override string ModelName => IdmFamily.RunningName(model.Config);

    protected override bool Answers(string requested) => requested == ModelName;

    public override int HrAlignment => model.Config.HrAlignment;

    /// <summary>Pixel-space: every UNet level holds HR-sized maps, and the middle block attends over all of the
    /// coarsest level's positions, so tiles stay at most 512² HR (768² at most), about 0.5 GiB per run.</summary>
    public override int PreferredTileSize(double scale) => Math.Max(32, (int)Math.Min(PreferredHrSide / 2, PreferredHrSide / scale));

    public override int MaxTileSize(double scale) => Math.Max(32, (int)Math.Min(LargestHrSide / 2, LargestHrSide / scale));

    const int PreferredHrSide = 512;
    const int LargestHrSide = 768;

    protected override Tensor Run(Tensor lr, TileGeometry geometry, SamplingOptions sampling)
    {
        using var mode = inference_mode();
        return model.Sample(lr.to(device), geometry, Steps, sampling.Seed, sampling.Temperature, timesteps);
    }

    public override void Dispose() => model.Dispose();
}
