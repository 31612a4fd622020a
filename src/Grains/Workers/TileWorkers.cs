namespace Pipeline.Grains.Workers;

public static class TileWorkers
{
    /// <summary>
    /// Worker keys ("lanes") a caller spreads its tiles over. Each lane maps to one worker silo by the hash of its key
    /// (<see cref="Placement.LaneSpreadPlacementFilterAttribute"/>), whoever calls, so the tiles of a job spread evenly
    /// over the worker silos. Enough lanes for an even spread over tens of worker silos, few enough that idle
    /// activations stay cheap.
    /// </summary>
    public const int Lanes = 256;

    public static ITileWorkerGrain ForTile(this IGrainFactory grains, int tileIndex) =>
        grains.GetGrain<ITileWorkerGrain>(tileIndex % Lanes);
}
