namespace Pipeline.Grains.Workers;

public static class TileWorkers
{
    /// <summary>
    /// Worker keys ("lanes") a caller spreads its tiles over. A caller caches where it placed a grain id, so every
    /// call on one key goes to the worker silo first picked; separate keys are placed independently (at random
    /// among worker silos, or on the caller itself when it is a worker). Enough lanes for an even spread over
    /// tens of worker silos, few enough that idle activations stay cheap.
    /// </summary>
    public const int Lanes = 256;

    public static ITileWorkerGrain ForTile(this IGrainFactory grains, int tileIndex) =>
        grains.GetGrain<ITileWorkerGrain>(tileIndex % Lanes);
}
