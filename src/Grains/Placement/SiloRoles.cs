namespace Pipeline.Grains.Placement;

/// <summary>
/// The silo metadata keys (configuration section <c>Orleans:Metadata</c>) that say what a silo is for.
/// A silo may declare several roles, comma-separated: <c>Orleans:Metadata:role=worker,coordinator</c>.
/// </summary>
public static class SiloRoles
{
    /// <summary>Metadata key holding the silo's roles.</summary>
    public const string RoleKey = "role";

    /// <summary>Metadata key holding the number of GPUs the silo may use for inference.</summary>
    public const string GpuCountKey = "gpu.count";

    /// <summary>Runs tile inference: the only role tile-worker grains are placed on.</summary>
    public const string Worker = "worker";

    /// <summary>Runs jobs, stitching and writing, never inference.</summary>
    public const string Coordinator = "coordinator";

    public static bool DeclaresWorker(IEnumerable<KeyValuePair<string, string>> metadata) => Declares(metadata, Worker);

    public static bool DeclaresCoordinator(IEnumerable<KeyValuePair<string, string>> metadata) => Declares(metadata, Coordinator);

    static bool Declares(IEnumerable<KeyValuePair<string, string>> metadata, string role) =>
        Find(metadata, RoleKey) is { } roles &&
        roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains(role, StringComparer.OrdinalIgnoreCase);

    /// <summary>The declared GPU count, 0 when absent. A value that is not a non-negative integer is a
    /// deployment mistake and fails loudly rather than silently running on the CPU.</summary>
    public static int GpuCount(IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var value = Find(metadata, GpuCountKey);
        if (value is null) return 0;
        return int.TryParse(value, out var count) && count >= 0
            ? count
            : throw new FormatException($"silo metadata '{GpuCountKey}' must be a non-negative integer, got '{value}'");
    }

    // Configuration keys are case-insensitive (ORLEANS__METADATA__ROLE arrives as "ROLE"), so metadata lookups are too.
    static string? Find(IEnumerable<KeyValuePair<string, string>> metadata, string key) =>
        metadata.FirstOrDefault(pair => string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
}
