using Orleans.Concurrency;
using Pipeline.Grains.Inference;
using Pipeline.Grains.Messages;
using Pipeline.Grains.Placement;

namespace Pipeline.Grains.Workers;

/// <summary>
/// Thin front door to the silo's <see cref="TileInferenceService"/>: unpacks the tile, awaits the model, packs
/// the result. Several activations per silo let calls wait for a model slot in the service (where queue depth
/// is measured) rather than in Orleans' per-activation queues; the service, not this count, bounds the model.
/// </summary>
[StatelessWorker(MaxActivationsPerSilo)]
[WorkerSiloPlacementFilter]
public sealed class TileWorkerGrain(TileInferenceService inference, ILocalSiloDetails localSilo) : Grain, ITileWorkerGrain
{
    const int MaxActivationsPerSilo = 16;

    public async Task<TileResult> Upscale(TileRequest request, CancellationToken cancellationToken)
    {
        var lrTile = request.Lr.ToBlock();
        var inferred = await inference.UpscaleAsync(lrTile, request.Scale, request.HrWindow, cancellationToken);
        return new TileResult(
            request.JobId,
            request.TileIndex,
            TilePixels.FromBlock(inferred.Hr, request.ResultFormat),
            inference.ModelName,
            inferred.ModelTime.TotalMilliseconds,
            localSilo.SiloAddress);
    }
}
