using Pipeline.Imaging.Tiling;
using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Families;
using Pipeline.Models.Inference;
using Pipeline.Models.Layers;
using Pipeline.Models.Stage2;
using Pipeline.Models.Weights;
using static TorchSharp.torch;

namespace Pipeline.Models.Latent;

/// <summary>
/// E²DiffSR and LCMSR: second-stage weights files (kinds e2diffsr, lcmsr) run the deterministic path or the stochastic
/// sampler they were trained for. The shipped model <c>small</c> is a name for three files, one per sampler:
/// deterministic-small (CondNet and decoder fine-tuned for the deterministic path), e2diffsr-small and lcmsr-small.
/// </summary>
public sealed class LatentFamily : IModelFamily
{
    /// <summary>The shipped small-config model (a name for whichever of its weights files the sampler needs).</summary>
    public const string ShippedModel = "small";

    public string Name => "e2diffsr";

    public IReadOnlyList<string> Samplers => LatentSampling.Names;

    public bool RunsSampler(string sampler) => LatentSampling.IsName(sampler);

    public bool Holds(IReadOnlyDictionary<string, string> metadata) =>
        metadata.GetValueOrDefault("kind") is var kind && (kind == ModelWeights.KindName(SecondStageKind.E2DiffSR) || kind == ModelWeights.KindName(SecondStageKind.Lcmsr));

    public string? ShippedFileName(string model, string sampler) =>
        model == ShippedModel && LatentSampling.IsName(sampler) ? LatentTileUpscaler.RunningName(LatentSampling.Parse(sampler), ShippedModel) : null;

    public ITileUpscaler Load(string weightsPath, TileUpscalerOptions options, Device device)
    {
        var sampler = LatentSampling.Parse(options.SamplingOrDefault.Sampler);
        var resolver = SuperResolver.Load(weightsPath, device, precision: options.Precision);
        // Checked here so that a wrong pairing is one error line before any tile runs, not a failure inside the job.
        if (sampler != SamplerKind.Deterministic && sampler != resolver.NativeSampler)
        {
            var message = $"{weightsPath}: holds {resolver.Model.Kind} weights, which serve the deterministic and {LatentSampling.NameOf(resolver.NativeSampler)} samplers, not {LatentSampling.NameOf(sampler)}";
            resolver.Dispose();
            throw new ArgumentException(message);
        }
        return new LatentTileUpscaler(resolver, options, ownsResolver: true) { WeightsSha256 = WeightsDigest.Of(weightsPath) };
    }

    public IReadOnlyList<string> EvaluationMethods => LatentSampling.Names;

    public IReadOnlyList<string> DefaultEvaluationWeights { get; } =
        [.. Enum.GetValues<SamplerKind>().Select(s => LatentTileUpscaler.RunningName(s, ShippedModel))];

    /// <summary>The deterministic path runs the first file (the shipped deterministic-small by default); each sampler
    /// the first of the others trained for it, else the first when that one is.</summary>
    public EvaluationModel OpenForEvaluation(string method, IReadOnlyList<string> weightsPaths, SamplingOptions sampling, Device device, TorchPrecision precision)
    {
        var sampler = LatentSampling.Parse(method);
        bool TrainedFor(string path) => ModelWeights.ReadMetadata(path).GetValueOrDefault("kind") == ModelWeights.KindName(KindFor(sampler));
        var path = sampler == SamplerKind.Deterministic
            ? weightsPaths.FirstOrDefault()
            : weightsPaths.Skip(1).FirstOrDefault(TrainedFor) ?? weightsPaths.Take(1).FirstOrDefault(TrainedFor);
        if (path is null) throw new ArgumentException($"no {method} weights among the evaluated weights files");
        var resolver = SuperResolver.Load(path, device, precision: precision);
        var latent = new LatentSampling(sampler, sampling.Seed, sampling.Temperature);
        return new EvaluationModel((lr, geometry) => resolver.Upscale(lr, geometry, latent), resolver);
    }

    public IReadOnlyList<string> DefaultBenchmarkConfigs => BenchmarkConfigs;

    public IReadOnlyList<string> BenchmarkConfigs { get; } = [.. SrConfig.All.Where(c => c.Decoder.FixedScale == 0).Select(c => c.Name).Reverse()];

    public IEnumerable<BenchmarkModel> OpenForBenchmark(string config, IReadOnlyList<int> steps, Device device, TorchPrecision precision)
    {
        var srConfig = SrConfig.ByName(config);
        foreach (var (label, sampler) in new[] { ("deterministic", SamplerKind.Deterministic), ("lcmsr (1 step)", SamplerKind.Lcmsr), ("e2diffsr (4 steps)", SamplerKind.E2DiffSR) })
        {
            var resolver = new SuperResolver(ShippedOrRandom(srConfig, KindFor(sampler), out var source), device, precision);
            var options = TileUpscalerOptions.ForUInt8(new SamplingOptions(LatentSampling.NameOf(sampler), Seed: 1)) with { Precision = precision };
            var upscaler = new LatentTileUpscaler(resolver, options, ownsResolver: true);
            yield return new BenchmarkModel(config, label, upscaler, resolver.Model, source, TimeOnce: false);
        }
    }

    static SecondStageKind KindFor(SamplerKind sampler) => sampler == SamplerKind.Lcmsr ? SecondStageKind.Lcmsr : SecondStageKind.E2DiffSR;

    /// <summary>The shipped weights of a kind for a configuration when present; random weights (seed 1) otherwise.</summary>
    static SrModel ShippedOrRandom(SrConfig config, SecondStageKind kind, out string source)
    {
        var shipped = ModelCatalog.ShippedPath($"{ModelWeights.KindName(kind)}-{config.Name}");
        if (File.Exists(shipped))
        {
            source = Path.GetFileName(shipped);
            return ModelWeights.LoadSrModel(shipped, config);
        }
        source = "random weights";
        var model = new SrModel(config, kind);
        Initialization.Reinitialize(model, 1);
        return model;
    }
}
