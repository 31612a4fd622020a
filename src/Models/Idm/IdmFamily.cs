using Pipeline.Imaging.Tiling;
using Pipeline.Models.Families;
using Pipeline.Models.Inference;
using Pipeline.Models.Weights;
using static TorchSharp.torch;

namespace Pipeline.Models.Idm;

/// <summary>IDM: pixel-space implicit diffusion, sampled with DDIM at any step count (<see cref="SamplingOptions.Steps"/>).
/// Weights files of kind <c>idm</c>; the shipped one is <c>idm-small</c>, the name its model runs as.</summary>
public sealed class IdmFamily : IModelFamily
{
    public const string Ddim = "ddim";

    /// <summary>DDIM over the reference code's own timesteps (<see cref="DdimTimesteps.Reference"/>).</summary>
    public const string DdimReference = "ddim-reference";

    public string Name => IdmWeights.Kind;

    public IReadOnlyList<string> Samplers { get; } = [Ddim, DdimReference];

    public static string RunningName(IdmConfig config) => "idm-" + config.Name;

    public bool RunsSampler(string sampler) => TimestepsOf(sampler) is not null;

    /// <summary>The DDIM timesteps a sampler name means (empty: the default), or null when IDM has no such sampler.</summary>
    public static DdimTimesteps? TimestepsOf(string sampler) => sampler.Trim().ToLowerInvariant() switch
    {
        "" or Ddim => DdimTimesteps.Trailing,
        DdimReference => DdimTimesteps.Reference,
        _ => null,
    };

    public bool Holds(IReadOnlyDictionary<string, string> metadata) => metadata.GetValueOrDefault("kind") == IdmWeights.Kind;

    /// <summary>IDM's shipped files go by their own names (idm-small): no aliases.</summary>
    public string? ShippedFileName(string model, string sampler) => null;

    public ITileUpscaler Load(string weightsPath, TileUpscalerOptions options, Device device)
    {
        var sampler = options.SamplingOrDefault.Sampler;
        if (!RunsSampler(sampler))
            throw new ArgumentException($"{weightsPath}: holds IDM weights, which sample with {Ddim} or {DdimReference} (--steps), not the {sampler} sampler");
        return IdmTileUpscaler.Load(weightsPath, options, device);
    }

    public IReadOnlyList<string> EvaluationMethods { get; } = ["idm"];

    public IReadOnlyList<string> DefaultEvaluationWeights { get; } = [RunningName(IdmConfig.Small)];

    public EvaluationModel OpenForEvaluation(string method, IReadOnlyList<string> weightsPaths, SamplingOptions sampling, Device device, TorchPrecision precision)
    {
        var path = weightsPaths.FirstOrDefault() ?? throw new ArgumentException("no IDM weights among the evaluated weights files");
        var model = IdmWeights.Load(path, device);
        model.eval();
        Bf16Convolutions.Apply(model, precision);
        var steps = sampling.Steps > 0 ? sampling.Steps : IdmTileUpscaler.DefaultSteps;
        return new EvaluationModel((lr, geometry) =>
        {
            using var mode = inference_mode();
            return model.Sample(lr.to(device), geometry, steps, sampling.Seed);
        }, model);
    }

    public IReadOnlyList<string> DefaultBenchmarkConfigs { get; } = [IdmConfig.Small.Name];

    public IReadOnlyList<string> BenchmarkConfigs { get; } = [.. IdmConfig.All.Select(c => c.Name)];

    /// <summary>From 50 steps on, the counting run is the timed one: long enough to time once, its steps all alike.</summary>
    public IEnumerable<BenchmarkModel> OpenForBenchmark(string config, IReadOnlyList<int> steps, Device device, TorchPrecision precision)
    {
        var idmConfig = IdmConfig.ByName(config);
        foreach (var count in steps)
        {
            var upscaler = new IdmTileUpscaler(ShippedOrRandom(idmConfig, out var source),
                TileUpscalerOptions.ForUInt8(new SamplingOptions(Ddim, Seed: 1, Steps: count)) with { Precision = precision }, device);
            yield return new BenchmarkModel(RunningName(idmConfig), $"idm ({count} steps)", upscaler, upscaler.Model, source, TimeOnce: count >= 50);
        }
    }

    /// <summary>The shipped IDM weights for a configuration when present; random weights (seed 1) otherwise.</summary>
    static IdmModel ShippedOrRandom(IdmConfig config, out string source)
    {
        var shipped = ModelCatalog.ShippedPath(RunningName(config));
        if (File.Exists(shipped))
        {
            source = Path.GetFileName(shipped);
            return IdmWeights.Load(shipped);
        }
        source = "random weights";
        manual_seed(1);
        return new IdmModel(config);
    }
}
