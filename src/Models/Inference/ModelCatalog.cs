using Pipeline.Models.Weights.Interchange;
using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Families;
using Pipeline.Models.Idm;
using Pipeline.Models.Latent;
using Pipeline.Models.Weights;

namespace Pipeline.Models.Inference;

/// <summary>
/// The one place that names models and resolves them (name → weights file → family → upscaler). A model name (the
/// CLI's <c>--model</c>, a silo's <c>Pipeline:Model:Name</c>) is <c>bicubic</c>; a name a family owns (<c>small</c>,
/// the shipped E²DiffSR/LCMSR model); the name of a shipped weights file (models/*.safetensors, copied next to the
/// application at build time: <c>idm-small</c>, <c>deterministic-small</c>…); or the path of a weights file, whose
/// metadata says which family loads it.
/// </summary>
public static class ModelCatalog
{
    // Replaced whole on registration, never changed in place: readers enumerate it without a lock.
    static volatile IReadOnlyList<IModelFamily> registered =
    [
        new LatentFamily(),
        new IdmFamily(),
    ];

    static readonly Lock Gate = new();

    public const string Bicubic = BicubicUpscaler.ModelName;

    /// <summary>The shipped model, the default of every command and silo.</summary>
    public const string ShippedModel = LatentFamily.ShippedModel;

    /// <summary>The shipped model when its weights are installed next to the application; bicubic otherwise.</summary>
    public static string DefaultModel => Available().Contains(ShippedModel) ? ShippedModel : Bicubic;

    public static IReadOnlyList<IModelFamily> Families => registered;

    /// <summary>Adds a family at run time (a plug-in, or a test's); the product's own are listed above.</summary>
    public static void Register(IModelFamily family)
    {
        lock (Gate)
            if (!registered.Any(f => f.GetType() == family.GetType())) registered = [.. registered, family];
    }

    /// <summary>Every family's samplers, as options and settings spell them.</summary>
    public static IReadOnlyList<string> Samplers => [.. registered.SelectMany(f => f.Samplers).Distinct()];

    public static string ModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Where a shipped weights file of this name is (whether or not it exists).</summary>
    public static string ShippedPath(string name) => Path.Combine(ModelsDirectory, name + ".safetensors");

    /// <summary>The upscaler for <paramref name="model"/>. <paramref name="levels"/> are the black and white levels it
    /// uses for tiles that do not bring their scene's own (a job's tiles always do); default 0..255.
    /// <paramref name="device"/>: cpu (default), cuda or cuda:N (<see cref="TorchDevices.Parse"/>); <paramref name="precision"/>:
    /// the number format of a torch model's convolutions (bicubic has none).</summary>
    public static ITileUpscaler Resolve(string model, SamplingOptions? sampling = null, ValueRange? levels = null, string? device = null,
        TorchPrecision precision = TorchPrecision.Fp32)
    {
        if (model == Bicubic) return new BicubicUpscaler();
        sampling ??= new SamplingOptions();
        TorchThreads.Apply(); // first: without a libtorch it is the one that says so in one line
        var torchDevice = TorchDevices.Parse(device ?? "cpu");
        var path = WeightsPath(model, sampling.Sampler);
        var range = levels ?? ValueRange.UInt8;
        return FamilyOf(path, sampling.Sampler).Load(path, new TileUpscalerOptions(sampling, range.Black, range.White, Precision: precision), torchDevice);
    }

    /// <summary>Fails before any work on a model or sampler that does not exist, or a sampler its family lacks.</summary>
    /// <exception cref="ArgumentException">One line naming the model or file and the problem.</exception>
    public static void Check(string model, SamplingOptions sampling, string device)
    {
        if (model == Bicubic) return;
        FamilyOf(WeightsPath(model, sampling.Sampler), sampling.Sampler);
        TorchDevices.Parse(device);
    }

    /// <summary>The weights file a model name means for a sampler.</summary>
    /// <exception cref="ArgumentException">Neither a shipped name nor an existing file.</exception>
    public static string WeightsPath(string model, string sampler = "")
    {
        var name = registered.Select(f => f.ShippedFileName(model, sampler)).FirstOrDefault(n => n is not null) ?? model;
        var shipped = ShippedPath(name);
        if (File.Exists(shipped)) return shipped;
        if (File.Exists(model)) return ImportedCheckpoints.IsCheckpoint(model) ? ImportedCheckpoints.WeightsFor(Path.GetFullPath(model)) : Path.GetFullPath(model);
        throw new ArgumentException($"{model}: unknown model (available: {string.Join(", ", Available())}, a .safetensors file, or a checkpoint of the authors' code: .ckpt, .pth)");
    }

    /// <summary>The family a weights file belongs to, read from its metadata, checked against the sampler.</summary>
    /// <exception cref="ArgumentException">No family holds the file, or its family has no such sampler.</exception>
    public static IModelFamily FamilyOf(string weightsPath, string sampler = "")
    {
        var metadata = ModelWeights.ReadMetadata(weightsPath);
        var family = registered.FirstOrDefault(f => f.Holds(metadata))
                     ?? throw new ArgumentException($"{weightsPath}: weights of kind '{metadata.GetValueOrDefault("kind")}', which no model family loads (known: {string.Join(", ", registered.Select(f => f.Name))})");
        if (!family.RunsSampler(sampler))
            throw new ArgumentException($"{weightsPath}: holds {family.Name} weights, which sample with {string.Join(" | ", family.Samplers)}, not the {sampler} sampler");
        return family;
    }

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
