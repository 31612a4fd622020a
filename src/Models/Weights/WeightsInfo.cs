namespace Pipeline.Models.Weights;

/// <summary><c>sr weights info</c>: what a weights file is (kind, configuration and its architecture hash, parameter
/// count), its SHA-256 (what jobs record and workers check) and its provenance (training step, the checkpoint it was
/// imported from).</summary>
public static class WeightsInfo
{
    static readonly string[] Provenance = ["created_utc", "step", "ema_decay", "ema_updates", "unet_weights", "source_file", "source_format", "source_sha256", "lightning_version"];

    public static IReadOnlyList<(string Field, string Value)> Describe(string path)
    {
        var metadata = ModelWeights.ReadMetadata(path);
        var (_, entries) = SafeTensors.Read(path, withData: false);
        var parameters = entries.Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b));
        var rows = new List<(string, string)>
        {
            ("file", path),
            ("kind", metadata.GetValueOrDefault("kind") ?? "?"),
            ("config", $"{metadata.GetValueOrDefault("config")} v{metadata.GetValueOrDefault("config_version")} (arch {metadata.GetValueOrDefault("arch_hash")})"),
            ("parameters", $"{parameters:N0} in {entries.Count} tensors"),
            ("sha256", WeightsDigest.Of(path)),
        };
        rows.AddRange(Provenance.Where(metadata.ContainsKey).Select(k => (k, metadata[k])));
        return rows;
    }
}
