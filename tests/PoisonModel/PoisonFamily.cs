using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Families;
using Pipeline.Models.Inference;
using Pipeline.Models.Weights;
using static TorchSharp.torch;

namespace Pipeline.PoisonModel;

/// <summary>
/// A model family for the poison-tile test only, loaded into silo processes by <see cref="global::StartupHook"/>:
/// bicubic, except that a tile whose LR pixels hold <see cref="PoisonValue"/> kills its own process on the spot, as a
/// native crash in a model or decoder would, and a tile holding <see cref="HogValue"/> allocates native memory until the
/// kernel's OOM killer ends the process (a silo in a memory-limited cgroup, as a Kubernetes pod is).
/// </summary>
public sealed class PoisonFamily : IModelFamily
{
    public const string Kind = "poison";
    public const float PoisonValue = 65521;
    public const float HogValue = 65519;

    /// <summary>Past this much native memory a hog tile gives up with an exception: no memory limit stopped it, and
    /// the test expecting an OOM kill fails on that error rather than filling the machine.</summary>
    const long HogCeilingBytes = 6L << 30;

    public string Name => Kind;
    public IReadOnlyList<string> Samplers { get; } = [""];
    public bool RunsSampler(string sampler) => sampler.Length == 0;
    public bool Holds(IReadOnlyDictionary<string, string> metadata) => metadata.GetValueOrDefault("kind") == Kind;
    public string? ShippedFileName(string model, string sampler) => null;
    public ITileUpscaler Load(string weightsPath, TileUpscalerOptions options, Device device) => new PoisonUpscaler();
    public IReadOnlyList<string> EvaluationMethods { get; } = [];
    public IReadOnlyList<string> DefaultEvaluationWeights { get; } = [];
    public EvaluationModel OpenForEvaluation(string method, IReadOnlyList<string> weightsPaths, SamplingOptions sampling, Device device, TorchPrecision precision) =>
        throw new NotSupportedException("the poison family is for the crash test only");
    public IReadOnlyList<string> DefaultBenchmarkConfigs { get; } = [];
    public IReadOnlyList<string> BenchmarkConfigs { get; } = [];
    public IEnumerable<BenchmarkModel> OpenForBenchmark(string config, IReadOnlyList<int> steps, Device device, TorchPrecision precision) => [];

    /// <summary>A weights file of this family: metadata only.</summary>
    public static void Save(string path) =>
        SafeTensors.Write(path, [("unused", zeros(1))], ModelWeights.Metadata(Kind, "plain", 1, "0000000000000000"));

    sealed class PoisonUpscaler : ITileUpscaler
    {
        readonly BicubicUpscaler bicubic = new();

        public string Name => Kind;
        public int EdgeMargin => ((ITileUpscaler)bicubic).EdgeMargin;
        public bool ExactCrops => ((ITileUpscaler)bicubic).ExactCrops;
        public int HrAlignment => ((ITileUpscaler)bicubic).HrAlignment;
        public int PreferredTileSize(double scale) => ((ITileUpscaler)bicubic).PreferredTileSize(scale);

        public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow)
        {
            if (Array.IndexOf(lrTile.Data, PoisonValue) >= 0) System.Diagnostics.Process.GetCurrentProcess().Kill();
            if (Array.IndexOf(lrTile.Data, HogValue) >= 0) AllocateUntilKilled();
            return ((ITileUpscaler)bicubic).Upscale(lrTile, scale, hrWindow);
        }

        /// <summary>Native memory, as a decoder or libtorch takes it: outside the GC's heap limit, so only the kernel
        /// stops it. Every page is written, so it is resident and charged to the process's cgroup.</summary>
        static unsafe void AllocateUntilKilled()
        {
            const int chunk = 64 << 20;
            for (long total = 0; total < HogCeilingBytes; total += chunk)
                new Span<byte>(System.Runtime.InteropServices.NativeMemory.Alloc(chunk), chunk).Fill(1);
            throw new InvalidOperationException($"allocated {HogCeilingBytes >> 30} GiB and nothing stopped it: no memory limit on this process");
        }
    }
}
