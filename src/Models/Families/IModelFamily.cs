using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;
using static TorchSharp.torch;

namespace Pipeline.Models.Families;

/// <summary>
/// One model family (E²DiffSR/LCMSR, IDM…): everything the product needs to know about it, so that adding a family is
/// one folder plus one line in <see cref="ModelCatalog"/>. A family recognises its weights files by their metadata,
/// loads them as an <see cref="ITileUpscaler"/>, names its samplers and shipped files, and opens its models for
/// evaluation and benchmarking.
/// </summary>
public interface IModelFamily
{
    /// <summary>Short name, as in messages (e2diffsr, idm).</summary>
    string Name { get; }

    /// <summary>The samplers its models run, the default first (what <c>--sampler</c> accepts for them).</summary>
    IReadOnlyList<string> Samplers { get; }

    /// <summary>Whether its models run this sampler (empty: the default; a family may accept old aliases too).</summary>
    bool RunsSampler(string sampler);

    /// <summary>Whether a weights file with this safetensors metadata belongs to the family.</summary>
    bool Holds(IReadOnlyDictionary<string, string> metadata);

    /// <summary>The shipped weights file (a name under models/, no extension) that a model name the family owns means
    /// for a sampler, e.g. small + deterministic → deterministic-small; null when the name is not the family's.</summary>
    string? ShippedFileName(string model, string sampler);

    /// <summary>Loads a weights file of this family.</summary>
    /// <exception cref="ArgumentException">The file's model does not serve the options' sampler: one line naming the file.</exception>
    ITileUpscaler Load(string weightsPath, TileUpscalerOptions options, Device device);

    /// <summary>The methods <c>sr eval</c> can run for this family, and the shipped models it evaluates by default.</summary>
    IReadOnlyList<string> EvaluationMethods { get; }

    IReadOnlyList<string> DefaultEvaluationWeights { get; }

    /// <summary>One evaluation method on whole images, from the family's weights files among those given (in order).</summary>
    /// <exception cref="ArgumentException">None of the files serves the method.</exception>
    EvaluationModel OpenForEvaluation(string method, IReadOnlyList<string> weightsPaths, SamplingOptions sampling, Device device, TorchPrecision precision);

    /// <summary>Configurations <c>sr bench-models</c> measures when none are named, and all it knows.</summary>
    IReadOnlyList<string> DefaultBenchmarkConfigs { get; }

    IReadOnlyList<string> BenchmarkConfigs { get; }

    /// <summary>The rows of <c>sr bench-models</c> for a configuration (shipped weights when installed, random ones
    /// otherwise: speed does not depend on them), opened one at a time as the caller enumerates.</summary>
    /// <param name="steps">Step counts to measure, for a family whose step count is free.</param>
    IEnumerable<BenchmarkModel> OpenForBenchmark(string config, IReadOnlyList<int> steps, Device device, TorchPrecision precision);
}
