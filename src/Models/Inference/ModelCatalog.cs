using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Idm;
using Pipeline.Models.Weights;

namespace Pipeline.Models.Inference;

/// <summary>
/// The one place that names models and samplers and resolves them (name → weights file → upscaler). A model name (the
/// CLI's <c>--model</c>, a silo's <c>Pipeline:Model:Name</c>) is <c>bicubic</c>;
/// <c>small</c>, the shipped small-config model (its weights file chosen by the sampler: deterministic-small, whose
/// CondNet and decoder were fine-tuned for the deterministic path, e2diffsr-small or lcmsr-small); <c>idm-small</c>,
/// the shipped IDM (DDIM, <see cref="SamplingOptions.Steps"/>); the name of a shipped weights file; or the path of a
/// weights file. Shipped weights are copied to models/ next to the application
/// at build time. A latent model runs under the name <c>sampler-config</c> (<see cref="RunningName"/>), which is also the name of the
/// shipped weights file each sampler uses; jobs may ask for it by that name or by its configuration's.
/// </summary>
public static class ModelCatalog
{
    public const string Bicubic = BicubicUpscaler.ModelName;

    /// <summary>The shipped small-config model (a name for whichever of its weights files the sampler needs).</summary>
    public const string ShippedModel = "small";

    /// <summary>The shipped model when its weights are installed next to the application; bicubic otherwise.</summary>
    public static string DefaultModel => Available().Contains(ShippedModel) ? ShippedModel : Bicubic;

    /// <summary>The samplers' names, as options and settings spell them.</summary>
    public static IReadOnlyList<string> Samplers { get; } = [.. Enum.GetValues<SamplerKind>().Select(SamplerName)];

    public static string SamplerName(SamplerKind sampler) => sampler.ToString().ToLowerInvariant();

    /// <exception cref="ArgumentException">Not a sampler's name (nor one of the old aliases kd, lcm).</exception>
    public static SamplerKind ParseSampler(string name) => name.Trim().ToLowerInvariant() switch
    {
        "kd" => SamplerKind.Deterministic,
        "lcm" => SamplerKind.Lcmsr,
        var known when Samplers.Contains(known) => Enum.Parse<SamplerKind>(known, ignoreCase: true),
        _ => throw new ArgumentException($"unknown sampler '{name}' ({string.Join(" | ", Samplers)})", nameof(name)),
    };

    /// <summary>What a latent model runs as, e.g. deterministic-small: its sampler and configuration.</summary>
    public static string RunningName(SamplerKind sampler, string config) => $"{SamplerName(sampler)}-{config}";

    /// <summary>Whether a job asking for <paramref name="requested"/> may run on <paramref name="running"/>: by its full
    /// name, its configuration's (small), or by naming none.</summary>
    public static bool Serves(string running, string requested) =>
        requested.Length == 0 || requested == running || running.EndsWith("-" + requested, StringComparison.Ordinal);

    public static string ModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>The upscaler for <paramref name="model"/>. <paramref name="levels"/> are the black and white levels it
    /// uses for tiles that do not bring their scene's own (a job's tiles always do); default 0..255.
    /// <paramref name="device"/>: cpu (default), cuda or cuda:N (<see cref="TorchDevices.Parse"/>).</summary>
    public static ITileUpscaler Resolve(string model, SamplingOptions? sampling = null, ValueRange? levels = null, string? device = null)
    {
        if (model == Bicubic) return new BicubicUpscaler();
        sampling ??= new SamplingOptions(SamplerKind.Deterministic);
        TorchThreads.Apply();
        var path = WeightsPath(model, sampling.Sampler);
        var range = levels ?? ValueRange.UInt8;
        if (IsIdm(path, sampling.Sampler))
            return IdmTileUpscaler.Load(path, new TileUpscalerOptions(sampling, range.Black, range.White), TorchDevices.Parse(device ?? "cpu"));
        var resolver = SuperResolver.Load(path, TorchDevices.Parse(device ?? "cpu"));
        // Checked here so that a wrong pairing is one error line before any tile runs, not a failure inside the job.
        if (sampling.Sampler != SamplerKind.Deterministic && sampling.Sampler != resolver.NativeSampler)
        {
            var message = $"{path}: holds {resolver.Model.Kind} weights, which serve the deterministic and {SamplerName(resolver.NativeSampler)} samplers, not {SamplerName(sampling.Sampler)}";
            resolver.Dispose();
            throw new ArgumentException(message);
        }
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

    /// <summary>Whether a weights file holds IDM (read from its header).</summary>
    /// <exception cref="ArgumentException">IDM weights with a sampler of the latent models: IDM samples with DDIM.</exception>
    public static bool IsIdm(string weightsPath, SamplerKind sampler)
    {
        if (ModelWeights.ReadMetadata(weightsPath).GetValueOrDefault("kind") != IdmWeights.Kind) return false;
        if (sampler != SamplerKind.Deterministic)
            throw new ArgumentException($"{weightsPath}: holds IDM weights, which sample with DDIM (--steps), not the {SamplerName(sampler)} sampler");
        return true;
    }

    /// <summary>The shipped model's weights for a sampler: e2diffsr and lcmsr serve natively; the deterministic path has
    /// its own fine-tuned file.</summary>
    static string ShippedFile(SamplerKind sampler) => RunningName(sampler, ShippedModel);

    public static IReadOnlyList<string> Available()
    {
        var shipped = Directory.Exists(ModelsDirectory)
            ? Directory.EnumerateFiles(ModelsDirectory, "*.safetensors").Select(f => Path.GetFileNameWithoutExtension(f)).Order().ToList()
            : [];
        return shipped.Count == 0 ? [Bicubic] : [Bicubic, ShippedModel, .. shipped];
    }

    /// <summary>Torch models parallelise inside each op, so tiles go one at a time; others run a tile per core.</summary>
    public static int ParallelTilesFor(ITileUpscaler upscaler) => upscaler is TorchTileUpscaler ? 1 : Environment.ProcessorCount;
}
