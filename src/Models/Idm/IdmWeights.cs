using System.Globalization;
using Pipeline.Models.Weights;
using static TorchSharp.torch;

namespace Pipeline.Models.Idm;

/// <summary>
/// IDM weights: one safetensors file in the project's format (<see cref="ModelWeights"/>) with kind <c>idm</c>, the
/// IDM config's name, version and architecture hash, and <c>target_scale</c>. Loading checks them and every tensor's
/// name and shape, failing with a one-line <see cref="ModelWeightsException"/> that names the file.
/// </summary>
public static class IdmWeights
{
    public const string Kind = "idm";

    public static void Save(IdmModel model, string path, IReadOnlyDictionary<string, string>? extra = null)
    {
        var metadata = ModelWeights.Metadata(Kind, model.Config.Name, model.Config.Version, model.Config.ArchitectureHash, extra);
        metadata["target_scale"] = model.TargetScale.ToString("R", CultureInfo.InvariantCulture);
        SafeTensors.Write(path, model.state_dict().Select(kv => (kv.Key, kv.Value)), metadata);
    }

    public static IdmModel Load(string path, Device? device = null)
    {
        var (metadata, entries) = ModelWeights.ReadChecked(path, Kind, withData: true);
        var name = metadata.GetValueOrDefault("config") ?? "";
        var config = IdmConfig.All.FirstOrDefault(c => c.Name == name)
            ?? throw new ModelWeightsException($"{path}: unknown IDM config '{name}'");
        var version = metadata.GetValueOrDefault("config_version");
        var hash = metadata.GetValueOrDefault("arch_hash");
        if (version != config.Version.ToString(CultureInfo.InvariantCulture) || hash != config.ArchitectureHash)
            throw new ModelWeightsException(
                $"{path}: written for IDM config '{name}' v{version} (arch {hash}), this build's is v{config.Version} (arch {config.ArchitectureHash})");
        if (!double.TryParse(metadata.GetValueOrDefault("target_scale"), NumberStyles.Float, CultureInfo.InvariantCulture, out var targetScale) || !(targetScale > 0))
            throw new ModelWeightsException($"{path}: metadata has no valid target_scale");
        var model = new IdmModel(config) { TargetScale = targetScale };
        ModelWeights.LoadInto(model, entries, path);
        return device is null ? model : model.to(device);
    }
}
