namespace Pipeline.Grains.Tests;

/// <summary>Which silos were seen hosting activations of which grain types, from repeated snapshots of the cluster's
/// grain statistics (short-lived activations such as stitchers are seen if they live across a snapshot).</summary>
sealed class GrainPlacements(IGrainFactory grains)
{
    readonly IManagementGrain management = grains.GetGrain<IManagementGrain>(0);
    readonly Dictionary<string, HashSet<SiloAddress>> seen = [];

    public async Task SampleAsync()
    {
        foreach (var statistic in await management.GetSimpleGrainStatistics())
        {
            if (statistic.ActivationCount == 0) continue;
            var type = statistic.GrainType.ToLowerInvariant();
            if (!seen.TryGetValue(type, out var silos)) seen[type] = silos = [];
            silos.Add(statistic.SiloAddress);
        }
        await Task.Delay(10);
    }

    /// <summary>Silos that hosted a grain type whose name contains <paramref name="typeName"/> (lower case, e.g. "blockstitch").</summary>
    public SiloAddress[] SilosOf(string typeName) =>
        [.. seen.Where(pair => pair.Key.Contains(typeName, StringComparison.Ordinal)).SelectMany(pair => pair.Value).Distinct().OrderBy(silo => silo.ToString())];
}
