using Pipeline.Imaging;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Inference;
using static TorchSharp.torch;

namespace Pipeline.Client;

/// <summary>
/// Maps a <c>--model</c> value to an upscaler: <c>bicubic</c>; <c>small</c>, the shipped small-config model (its
/// weights file chosen by the sampler: lcmsr-small for the LCMSR sampler, e2diffsr-small otherwise); the name of a
/// shipped weights file (e2diffsr-small, lcmsr-small); or the path of a weights file. Shipped weights are copied to
/// models/ next to the application at build time.
/// </summary>
static class ModelCatalog
{
    public const string DefaultModel = "small";

    public static string ModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>The upscaler for <paramref name="model"/>. <paramref name="blackLevel"/>/<paramref name="whiteLevel"/>
    /// map the scene's values to the model's [0, 1] range and must be fixed for the whole scene (see
    /// <see cref="SceneValueRange"/>).</summary>
    public static ITileUpscaler Resolve(string model, SamplingOptions? sampling = null, double blackLevel = 0, double whiteLevel = 255)
    {
        if (model == "bicubic") return new BicubicUpscaler();
        sampling ??= new SamplingOptions(SamplerKind.Deterministic);
        TorchThreads.Apply();
        return LatentTileUpscaler.Load(WeightsPath(model, sampling.Sampler), new TileUpscalerOptions(sampling, blackLevel, whiteLevel), CPU);
    }

    /// <summary>The upscaler for one scene: the value range is measured on the scene when the model needs one.</summary>
    public static ITileUpscaler ResolveForScene(string model, SamplingOptions sampling, string scenePath)
    {
        if (model == "bicubic") return new BicubicUpscaler();
        var (black, white) = SceneValueRange.Of(scenePath);
        return Resolve(model, sampling, black, white);
    }

    public static string WeightsPath(string model, SamplerKind sampler)
    {
        var name = model == DefaultModel ? (sampler == SamplerKind.Lcmsr ? "lcmsr-small" : "e2diffsr-small") : model;
        var shipped = Path.Combine(ModelsDirectory, name + ".safetensors");
        if (File.Exists(shipped)) return shipped;
        if (File.Exists(model)) return Path.GetFullPath(model);
        throw new ArgumentException($"{model}: unknown model (available: {string.Join(", ", Available())}, or a .safetensors file)");
    }

    public static IReadOnlyList<string> Available()
    {
        var shipped = Directory.Exists(ModelsDirectory)
            ? Directory.EnumerateFiles(ModelsDirectory, "*.safetensors").Select(f => Path.GetFileNameWithoutExtension(f)).Order().ToList()
            : [];
        return shipped.Count == 0 ? ["bicubic"] : ["bicubic", DefaultModel, .. shipped];
    }

    /// <summary>Torch models parallelise inside each op, so tiles go one at a time; others run a tile per core.</summary>
    public static int ParallelTilesFor(ITileUpscaler upscaler) => upscaler is LatentTileUpscaler ? 1 : Environment.ProcessorCount;
}
