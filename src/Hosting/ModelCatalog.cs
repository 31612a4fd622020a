using Pipeline.Imaging;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Inference;

namespace Pipeline.Hosting;

/// <summary>
/// Maps a model name (the CLI's <c>--model</c>, a silo's <c>Pipeline:Model:Name</c>) to an upscaler: <c>bicubic</c>;
/// <c>small</c>, the shipped small-config model (its weights file chosen by the sampler: deterministic-small, whose
/// CondNet and decoder were fine-tuned for the deterministic path, e2diffsr-small or lcmsr-small); the name of a
/// shipped weights file; or the path of a weights file. Shipped weights are copied to models/ next to the application
/// at build time.
/// </summary>
public static class ModelCatalog
{
    /// <summary>The shipped small-config model (a name for whichever of its weights files the sampler needs).</summary>
    public const string ShippedModel = "small";

    /// <summary>The shipped model when its weights are installed next to the application; bicubic otherwise.</summary>
    public static string DefaultModel => Available().Contains(ShippedModel) ? ShippedModel : "bicubic";

    public static string ModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>The upscaler for <paramref name="model"/>. <paramref name="levels"/> are the black and white levels it
    /// uses for tiles that do not bring their scene's own (a job's tiles always do); default 0..255.
    /// <paramref name="device"/>: cpu (default), cuda or cuda:N (<see cref="TorchDevices.Parse"/>).</summary>
    public static ITileUpscaler Resolve(string model, SamplingOptions? sampling = null, ValueRange? levels = null, string? device = null)
    {
        if (model == "bicubic") return new BicubicUpscaler();
        sampling ??= new SamplingOptions(SamplerKind.Deterministic);
        TorchThreads.Apply();
        var path = WeightsPath(model, sampling.Sampler);
        var resolver = SuperResolver.Load(path, TorchDevices.Parse(device ?? "cpu"));
        // Checked here so that a wrong pairing is one error line before any tile runs, not a failure inside the job.
        if (sampling.Sampler != SamplerKind.Deterministic && sampling.Sampler != resolver.NativeSampler)
        {
            var message = $"{path}: holds {resolver.Model.Kind} weights, which serve the deterministic and {resolver.NativeSampler.ToString().ToLowerInvariant()} samplers, not {sampling.Sampler.ToString().ToLowerInvariant()}";
            resolver.Dispose();
            throw new ArgumentException(message);
        }
        var range = levels ?? ValueRange.UInt8;
        return new LatentTileUpscaler(resolver, new TileUpscalerOptions(sampling, range.Black, range.White), ownsResolver: true);
    }

    public static string WeightsPath(string model, SamplerKind sampler)
    {
        var name = model == ShippedModel ? ShippedFile(sampler) : model;
        var shipped = Path.Combine(ModelsDirectory, name + ".safetensors");
        if (File.Exists(shipped)) return shipped;
        if (File.Exists(model)) return Path.GetFullPath(model);
        throw new ArgumentException($"{model}: unknown model (available: {string.Join(", ", Available())}, or a .safetensors file)");
    }

    static string ShippedFile(SamplerKind sampler) => sampler switch
    {
        SamplerKind.Lcmsr => "lcmsr-small",
        SamplerKind.E2DiffSR => "e2diffsr-small",
        _ => "deterministic-small",
    };

    public static IReadOnlyList<string> Available()
    {
        var shipped = Directory.Exists(ModelsDirectory)
            ? Directory.EnumerateFiles(ModelsDirectory, "*.safetensors").Select(f => Path.GetFileNameWithoutExtension(f)).Order().ToList()
            : [];
        return shipped.Count == 0 ? ["bicubic"] : ["bicubic", ShippedModel, .. shipped];
    }

    /// <summary>Torch models parallelise inside each op, so tiles go one at a time; others run a tile per core.</summary>
    public static int ParallelTilesFor(ITileUpscaler upscaler) => upscaler is LatentTileUpscaler ? 1 : Environment.ProcessorCount;
}
