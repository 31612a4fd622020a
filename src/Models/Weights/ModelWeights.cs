using System.Globalization;
using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Stage1;
using Pipeline.Models.Stage2;
using static TorchSharp.torch;

namespace Pipeline.Models.Weights;

/// <summary>
/// One safetensors file per model. <c>__metadata__</c> holds: <c>format</c> = "pipeline-sr", <c>format_version</c>,
/// <c>kind</c> (stage1 | e2diffsr | lcmsr), <c>config</c> (paper | small), <c>config_version</c>, <c>arch_hash</c>
/// (<see cref="SrConfig.ArchitectureHash"/>), for stage-2 kinds <c>scale_factor</c>, and free-form extras
/// (e.g. <c>step</c>). Tensor names are the modules' state-dict names (float32).
/// <list type="bullet">
/// <item>stage1: the whole <see cref="DifferentialAutoencoder"/> (encoder, quant convs, decoder).</item>
/// <item>e2diffsr / lcmsr: an <see cref="SrModel"/> (decoder, post-quant conv, CondNet, EMA UNet): all inference needs.</item>
/// </list>
/// Loading checks format, kind, config name/version/architecture hash, then every tensor name and shape, and fails
/// with a one-line <see cref="ModelWeightsException"/> naming the file.
/// </summary>
public static class ModelWeights
{
    public const string Format = "pipeline-sr";
    public const int FormatVersion = 1;

    public const string Stage1Kind = "stage1";

    public static string KindName(SecondStageKind kind) => kind == SecondStageKind.E2DiffSR ? "e2diffsr" : "lcmsr";

    public static Dictionary<string, string> Metadata(SrConfig config, string kind, IReadOnlyDictionary<string, string>? extra = null) =>
        Metadata(kind, config.Name, config.Version, config.ArchitectureHash, extra);

    public static Dictionary<string, string> Metadata(string kind, string config, int version, string architectureHash, IReadOnlyDictionary<string, string>? extra = null)
    {
        var m = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["format_version"] = FormatVersion.ToString(CultureInfo.InvariantCulture),
            ["kind"] = kind,
            ["config"] = config,
            ["config_version"] = version.ToString(CultureInfo.InvariantCulture),
            ["arch_hash"] = architectureHash,
            ["created_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
        };
        if (extra is not null) foreach (var (k, v) in extra) m[k] = v;
        return m;
    }

    public static void Save(DifferentialAutoencoder model, string path, IReadOnlyDictionary<string, string>? extra = null) =>
        SafeTensors.Write(path, model.state_dict().Select(kv => (kv.Key, kv.Value)), Metadata(model.Config, Stage1Kind, extra));

    /// <param name="unetOverride">State-dict tensors to write for the UNet instead of the model's (the EMA weights).</param>
    public static void Save(SrModel model, string path, nn.Module? unetOverride = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var metadata = Metadata(model.Config, KindName(model.Kind), extra);
        metadata["scale_factor"] = model.ScaleFactor.ToString("R", CultureInfo.InvariantCulture);
        var tensors = model.state_dict()
            .Where(kv => unetOverride is null || !kv.Key.StartsWith("unet.", StringComparison.Ordinal))
            .Select(kv => (kv.Key, kv.Value))
            .ToList();
        if (unetOverride is not null) tensors.AddRange(unetOverride.state_dict().Select(kv => ("unet." + kv.Key, kv.Value)));
        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>The metadata of a weights file (header only), validated as ours.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path) => ReadChecked(path, null, withData: false).Metadata;

    public static DifferentialAutoencoder LoadStage1(string path, SrConfig? expected = null, Device? device = null)
    {
        var (metadata, entries) = ReadChecked(path, Stage1Kind, withData: true);
        var config = ResolveConfig(path, metadata, expected);
        var model = new DifferentialAutoencoder(config);
        LoadInto(model, entries, path);
        return device is null ? model : model.to(device);
    }

    public static SrModel LoadSrModel(string path, SrConfig? expected = null, Device? device = null, SecondStageKind? expectedKind = null)
    {
        var (metadata, entries) = ReadChecked(path, expectedKind is null ? null : KindName(expectedKind.Value), withData: true);
        var kind = metadata["kind"] switch
        {
            "e2diffsr" => SecondStageKind.E2DiffSR,
            "lcmsr" => SecondStageKind.Lcmsr,
            var k => throw new ModelWeightsException($"{path}: holds a '{k}' model, not an inference model (e2diffsr or lcmsr)"),
        };
        var config = ResolveConfig(path, metadata, expected);
        var model = new SrModel(config, kind);
        if (!metadata.TryGetValue("scale_factor", out var sf) || !double.TryParse(sf, NumberStyles.Float, CultureInfo.InvariantCulture, out var scaleFactor))
            throw new ModelWeightsException($"{path}: metadata has no valid scale_factor");
        model.ScaleFactor = scaleFactor;
        LoadInto(model, entries, path);
        return device is null ? model : model.to(device);
    }

    /// <summary>Copies tensors into a module's parameters/buffers; names and shapes must match exactly.</summary>
    public static void LoadInto(nn.Module module, IReadOnlyList<SafeTensorEntry> entries, string path, string prefix = "")
    {
        var state = module.state_dict();
        var byName = entries.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal))
                            .ToDictionary(e => e.Name[prefix.Length..]);
        var missing = state.Keys.Where(k => !byName.ContainsKey(k)).ToList();
        var unexpected = byName.Keys.Where(k => !state.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new ModelWeightsException(
                $"{path}: tensors do not match the model ({missing.Count} missing, e.g. '{missing.FirstOrDefault()}'; {unexpected.Count} unexpected, e.g. '{unexpected.FirstOrDefault()}')");
        using var _ = no_grad();
        foreach (var (name, target) in state)
        {
            var entry = byName[name];
            if (!entry.Shape.SequenceEqual(target.shape))
                throw new ModelWeightsException(
                    $"{path}: tensor '{name}' has shape [{string.Join(",", entry.Shape)}], the model expects [{string.Join(",", target.shape)}]");
            using var source = entry.ToTensor();
            target.copy_(source);
        }
    }

    internal static (IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<SafeTensorEntry> Entries) ReadChecked(string path, string? kind, bool withData)
    {
        if (!File.Exists(path)) throw new ModelWeightsException($"{path}: weights file not found");
        IReadOnlyDictionary<string, string> metadata;
        IReadOnlyList<SafeTensorEntry> entries;
        try
        {
            (metadata, entries) = SafeTensors.Read(path, withData);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or InvalidOperationException)
        {
            throw new ModelWeightsException($"{path}: not a readable safetensors file ({e.Message})", e);
        }
        if (!metadata.TryGetValue("format", out var format) || format != Format)
            throw new ModelWeightsException($"{path}: not a {Format} weights file (format '{format ?? "none"}')");
        if (!metadata.TryGetValue("format_version", out var fv) || fv != FormatVersion.ToString(CultureInfo.InvariantCulture))
            throw new ModelWeightsException($"{path}: format version {fv ?? "none"} is not supported (expected {FormatVersion})");
        if (kind is not null && metadata.GetValueOrDefault("kind") != kind)
            throw new ModelWeightsException($"{path}: holds a '{metadata.GetValueOrDefault("kind")}' model, expected '{kind}'");
        return (metadata, entries);
    }

    static SrConfig ResolveConfig(string path, IReadOnlyDictionary<string, string> metadata, SrConfig? expected)
    {
        var name = metadata.GetValueOrDefault("config") ?? "";
        var version = metadata.GetValueOrDefault("config_version") ?? "";
        var hash = metadata.GetValueOrDefault("arch_hash") ?? "";
        if (expected is not null && !string.Equals(expected.Name, name, StringComparison.OrdinalIgnoreCase))
            throw new ModelWeightsException($"{path}: config '{name}' does not match the requested config '{expected.Name}'");
        var config = expected ?? SrConfig.All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ModelWeightsException($"{path}: unknown config '{name}'");
        if (version != config.Version.ToString(CultureInfo.InvariantCulture) || hash != config.ArchitectureHash)
            throw new ModelWeightsException(
                $"{path}: written for config '{name}' v{version} (arch {hash}), this build's '{config.Name}' is v{config.Version} (arch {config.ArchitectureHash})");
        return config;
    }
}
