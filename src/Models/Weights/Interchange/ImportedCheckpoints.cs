namespace Pipeline.Models.Weights.Interchange;

/// <summary>
/// <c>--model &lt;file.ckpt|.pth&gt;</c>: a checkpoint of the authors' code is imported once into a cache
/// (<c>$XDG_CACHE_HOME/sr/imported</c>, else <c>~/.cache/sr/imported</c>), named by the checkpoint's SHA-256, and used
/// from there. Imports are deterministic, so every silo that imports the same checkpoint holds the same bytes.
/// </summary>
public static class ImportedCheckpoints
{
    public static bool IsCheckpoint(string path) =>
        path.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase);

    public static string Folder
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(cache)) cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cache, "sr", "imported");
        }
    }

    /// <summary>The imported weights of <paramref name="checkpoint"/>, importing it the first time.</summary>
    public static string WeightsFor(string checkpoint)
    {
        var path = Path.Combine(Folder, WeightsDigest.Of(checkpoint)[..32] + ".safetensors");
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(Folder);
        CheckpointImport.Import(checkpoint, path);
        return path;
    }
}
