using Orleans.Concurrency;
using Pipeline.Grains.Workers;
using Pipeline.Grains.Messages;
using Pipeline.Grains.Placement;
using Pipeline.Grains.Planning;
using Pipeline.Grains.Stitching;
using Pipeline.Imaging;
using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Workers;

/// <summary>
/// Thin front door to the silo's <see cref="TileInferenceService"/>: unpacks the tile, awaits the model, packs
/// the result. Several activations per silo let calls wait for a model slot in the service (where queue depth
/// is measured) rather than in Orleans' per-activation queues; the service, not this count, bounds the model.
/// </summary>
[StatelessWorker(MaxActivationsPerSilo)]
[WorkerSiloPlacementFilter]
[LaneSpreadPlacementFilter]
public sealed class TileWorkerGrain(TileInferenceService inference, TilePlanCache plans, ILocalSiloDetails localSilo) : Grain, ITileWorkerGrain
{
    const int MaxActivationsPerSilo = 16;

    public async Task<TileOutcome> Contribute(TileTask task, CancellationToken cancellationToken)
    {
        // Every silo of a cluster runs the same model (its DI registration); a job naming another one was sent to
        // the wrong cluster, and blending outputs of two models would be wrong without any visible error. The same
        // name over other bytes (a silo left with old weights) is just as wrong.
        if (task.Model != inference.ModelName)
            throw new ModelMismatchException($"silo {localSilo.SiloAddress} runs the model '{inference.ModelName}', the job asks for '{task.Model}'");
        if (task.WeightsSha256 != inference.WeightsSha256)
            throw new ModelMismatchException(
                $"silo {localSilo.SiloAddress} holds other weights under the model name '{task.Model}' (SHA-256 {Short(inference.WeightsSha256)}, the job's {Short(task.WeightsSha256)}): its tiles are refused rather than blended into the mosaic");
        var plan = plans.Get(task.Context.Plan);
        var tile = plan.Tiles[task.TileIndex];
        if (task.Lr.Window != tile.LrWindow)
            throw new ArgumentException($"tile {task.TileIndex} must carry LR window {tile.LrWindow}, got {task.Lr.Window}", nameof(task));

        var lr = task.Lr.ToBlock();
        // As in the in-process job: nodata is filled from valid neighbours so it does not darken them.
        if (task.Validity is not null) NodataFill.Apply(lr, task.Validity, NodataFill.PassesFor(plan.EdgeMargin));
        var levels = task.Levels.IsValid ? task.Levels : (ValueRange?)null;
        var inferred = await inference.UpscaleAsync(lr, plan.Scale.Value, tile.HrWindow, cancellationToken, levels);
        var modelTime = inferred.ModelTime;
        var draws = new List<RasterBlock> { inferred.Hr };
        for (var draw = 1; draw < task.Draws; draw++)
        {
            var other = await inference.UpscaleAsync(lr, plan.Scale.Value, tile.HrWindow, cancellationToken, levels, draw);
            draws.Add(other.Hr);
            modelTime += other.ModelTime;
        }
        // A model call cannot be interrupted; if the job gave up meanwhile (cancelled, or a new generation),
        // delivering would only wake stitchers of a job that is gone.
        cancellationToken.ThrowIfCancellationRequested();
        var (contributions, consistency) = await Task.Run(() =>
        {
            var hr = task.Enforce ? ConsistencyEnforcer.Apply(lr, task.Validity, inferred.Hr, plan.Scale, plan.OutputWindow) : inferred.Hr;
            var blended = draws.Count > 1 ? UncertaintyBand.Append(hr, draws) : hr;
            TileContribution[] built;
            using (PipelineStages.Time(PipelineStage.Blend)) built = ContributionBuilder.Build(plan, task.TileIndex, blended, task.Validity);
            if (!task.Measure) return (built, null);
            using var timed = PipelineStages.Time(PipelineStage.Measure);
            return (built, (ConsistencySums?)TileConsistency.Measure(lr, task.Validity, hr, TileOwnership.OwnedLrWindow(plan, task.TileIndex), plan.Scale, task.Levels,
                ConsistencyMap.CellSizeFor(plan.SceneWidth, plan.SceneHeight)));
        }, cancellationToken);
        // Before the contributions: once the last block is in, the writer commits with every tile's figures.
        if (consistency is not null) await GrainFactory.Writer(task.Context.JobId).Measured(task.Context.Generation, task.TileIndex, consistency);
        var outcomes = await Task.WhenAll(contributions.Select(contribution => Deliver(task.Context, contribution)));

        var writerLost = outcomes.Contains(StitchOutcome.WriterLost);
        int[] written = [.. contributions.Where((_, i) => outcomes[i] == StitchOutcome.Written).Select(c => c.BlockIndex)];
        return new TileOutcome(task.TileIndex, written, writerLost, modelTime.TotalMilliseconds, localSilo.SiloAddress);
    }

    static string Short(string? digest) => digest is null ? "none" : digest[..Math.Min(12, digest.Length)];

    async Task<StitchOutcome> Deliver(StitchContext context, TileContribution contribution)
    {
        var stitcher = GrainFactory.Stitcher(context.JobId, context.Generation, contribution.BlockIndex);
        var outcome = StitchOutcome.Pending;
        foreach (var part in ContributionPart.Split(contribution))
        {
            outcome = await stitcher.Contribute(context, part);
            if (outcome != StitchOutcome.Pending) break;
        }
        return outcome;
    }
}
