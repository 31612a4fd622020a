using Pipeline.Imaging;
using Pipeline.Imaging.Tiling;
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
    /// <summary>The shipped small-config model (a name for whichever of its weights files the sampler needs).</summary>
    public const string ShippedModel = "small";

    /// <summary>The shipped model when its weights are installed next to the application; bicubic otherwise.</summary>
    public static string DefaultModel => Available().Contains(ShippedModel) ? ShippedModel : "bicubic";

    public static string ModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>The upscaler for <paramref name="model"/>. <paramref name="blackLevel"/>/<paramref name="whiteLevel"/>
    /// map the scene's values to the model's [0, 1] range and must be fixed for the whole scene (see
    /// <see cref="SceneValueRange"/>).</summary>
    public static ITileUpscaler Resolve(string model, SamplingOptions? sampling = null, double blackLevel = 0, double whiteLevel = 255)
    {
        if (model == "bicubic") return new BicubicUpscaler();
        sampling ??= new SamplingOptions(SamplerKind.Deterministic);
        TorchThreads.Apply();
        var path = WeightsPath(model, sampling.Sampler);
        var resolver = SuperResolver.Load(path, CPU);
        // Checked here so that a wrong pairing is one error line before any tile runs, not a failure inside the job.
        if (sampling.Sampler != SamplerKind.Deterministic && sampling.Sampler != resolver.NativeSampler)
        {
            var message = $"{path}: holds {resolver.Model.Kind} weights, which serve the deterministic and {resolver.NativeSampler.ToString().ToLowerInvariant()} samplers, not {sampling.Sampler.ToString().ToLowerInvariant()}";
            resolver.Dispose();
            throw new ArgumentException(message);
        }
        return new LatentTileUpscaler(resolver, new TileUpscalerOptions(sampling, blackLevel, whiteLevel), ownsResolver: true);
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
        var name = model == ShippedModel ? (sampler == SamplerKind.Lcmsr ? "lcmsr-small" : "e2diffsr-small") : model;
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
        return shipped.Count == 0 ? ["bicubic"] : ["bicubic", ShippedModel, .. shipped];
    }

    /// <summary>LR tile size for torch models: big enough that the overlap their edge margin needs stays a small share.</summary>
    public const int TorchTileSize = 256;

    /// <summary>Tiling with the user's values where given; otherwise the defaults, widened for a model with a wide edge
    /// margin so that a blend ramp remains between the margins on both sides of a seam.</summary>
    public static TilingOptions TilingFor(ITileUpscaler upscaler, int? tileSize, int? overlap)
    {
        var defaults = new TilingOptions();
        var torch = upscaler is LatentTileUpscaler;
        return defaults with
        {
            TileSize = tileSize ?? (torch ? TorchTileSize : defaults.TileSize),
            Overlap = overlap ?? Math.Max(defaults.Overlap, 2 * upscaler.EdgeMargin + 8),
        };
    }

    /// <summary>Torch models parallelise inside each op, so tiles go one at a time; others run a tile per core.</summary>
    public static int ParallelTilesFor(ITileUpscaler upscaler) => upscaler is LatentTileUpscaler ? 1 : Environment.ProcessorCount;
}
