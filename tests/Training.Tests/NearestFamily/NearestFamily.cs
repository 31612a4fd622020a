using Pipeline.Imaging.Tiling;
using Pipeline.Models.Families;
using Pipeline.Models.Inference;
using Pipeline.Models.Weights;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.NearestFamily;

/// <summary>
/// A third model family that exists only in the tests: nearest-neighbour "super-resolution" from a weights file of
/// kind <c>nearest</c> (no tensors, just the metadata). It shows that a family plugs in through its own folder plus one
/// registration line: the catalogue resolves its files, scene jobs run it, <c>sr eval</c> and <c>sr bench-models</c>
/// measure it, and nothing outside this folder names it.
/// </summary>
public sealed class NearestFamily : IModelFamily
{
    public const string Kind = "nearest";

    public string Name => Kind;

    public IReadOnlyList<string> Samplers { get; } = ["copy"];

    public bool RunsSampler(string sampler) => sampler is "" or "copy";

    public bool Holds(IReadOnlyDictionary<string, string> metadata) => metadata.GetValueOrDefault("kind") == Kind;

    public string? ShippedFileName(string model, string sampler) => null;

    public ITileUpscaler Load(string weightsPath, TileUpscalerOptions options, Device device) =>
        RunsSampler(options.SamplingOrDefault.Sampler)
            ? new NearestTileUpscaler()
            : throw new ArgumentException($"{weightsPath}: nearest weights copy pixels, not the {options.SamplingOrDefault.Sampler} sampler");

    public IReadOnlyList<string> EvaluationMethods { get; } = [Kind];

    public IReadOnlyList<string> DefaultEvaluationWeights { get; } = [];

    public EvaluationModel OpenForEvaluation(string method, IReadOnlyList<string> weightsPaths, SamplingOptions sampling, Device device, TorchPrecision precision) =>
        new((lr, geometry) => nn.functional.interpolate(lr, [geometry.HrHeight, geometry.HrWidth], mode: InterpolationMode.Nearest), new Nothing());

    public IReadOnlyList<string> DefaultBenchmarkConfigs { get; } = ["plain"];

    public IReadOnlyList<string> BenchmarkConfigs => DefaultBenchmarkConfigs;

    public IEnumerable<BenchmarkModel> OpenForBenchmark(string config, IReadOnlyList<int> steps, Device device, TorchPrecision precision)
    {
        yield return new BenchmarkModel(config, Kind, new NearestTileUpscaler(), nn.Identity(), "no weights", TimeOnce: false);
    }

    /// <summary>A weights file of this family: metadata only.</summary>
    public static void Save(string path) =>
        SafeTensors.Write(path, [("unused", zeros(1))], ModelWeights.Metadata(Kind, "plain", 1, "0000000000000000"));

    sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
