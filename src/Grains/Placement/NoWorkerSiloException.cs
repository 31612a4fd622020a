namespace Pipeline.Grains.Placement;

/// <summary>
/// No active silo declares the worker role (none deployed yet, all gone, or their metadata not yet
/// gossiped). Distinct type so a job can wait for workers instead of counting the tile as failed.
/// </summary>
[GenerateSerializer]
public sealed class NoWorkerSiloException(string grainType)
    : OrleansException($"No active silo declares the '{SiloRoles.Worker}' role (silo metadata '{SiloRoles.RoleKey}'), so {grainType} cannot be placed.");
