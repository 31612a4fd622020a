using Pipeline.Grains.Messages;
using Pipeline.Grains.Placement;
using Pipeline.Grains.Planning;
using Pipeline.Grains.Writing;
using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Stitching;

/// <summary>
/// One output block of one job generation. Memory is one block accumulator plus contributions waiting for their
/// turn, released as soon as the block is written (the activation then deactivates). Calls are serialised
/// (a non-reentrant grain), which is all the accumulator needs.
/// </summary>
[CoordinatorSiloPlacementFilter]
public sealed class BlockStitchGrain(TilePlanCache plans) : Grain, IBlockStitchGrain
{
    readonly ContributionAssembler assembler = new();
    readonly HashSet<int> tiles = [];
    BlockAccumulator? accumulator;
    TileLayout? layout;
    bool written;
    bool writerConsulted;
    bool lost;

    public async Task<StitchOutcome> Contribute(StitchContext context, ContributionPart part)
    {
        if (written) return StitchOutcome.Written;
        if (lost) return StitchOutcome.WriterLost;
        var writer = GrainFactory.Writer(context.JobId);
        if (!writerConsulted)
        {
            // A fresh activation may be a late retry reaching a block that was finished, written and released
            // already: without asking, it would wait forever for contributions that were spent.
            var (state, fileLayout) = await writer.Consult(context.Generation, part.BlockIndex);
            writerConsulted = true;
            if (state == BlockWriteOutcome.GenerationLost || fileLayout is null) return Lost();
            if (state == BlockWriteOutcome.Written) return Release();
            layout = fileLayout;
        }
        if (tiles.Contains(part.TileIndex) || assembler.Add(part) is not { } contribution) return StitchOutcome.Pending;

        var plan = plans.Get(context.Plan);
        using (PipelineStages.Time(PipelineStage.Blend))
        {
            accumulator ??= new BlockAccumulator(plan.Blocks[part.BlockIndex], context.Bands, context.Nodata);
            accumulator.Add(contribution);
        }
        tiles.Add(part.TileIndex);
        if (!accumulator.IsComplete) return StitchOutcome.Pending;

        try
        {
            var block = accumulator.Finish();
            var fileLayout = layout!;
            foreach (var piece in BlockPieces.Split(block, TilingOptions.WriterTileSize, BandLayout.IsBandInterleaved(context.Bands)))
            {
                // Encoded here, off the silo's scheduler: every stitcher compresses its own block, in parallel.
                var encoded = await Task.Run(() =>
                {
                    using var timed = PipelineStages.Time(PipelineStage.Encode);
                    // The block is this grain's alone and dropped once written (a failure computes it again).
                    return PieceEncoder.Encode(piece.Pixels, piece.FirstBand, fileLayout, givenUp: true);
                });
                var outcome = await writer.Write(context.Generation, part.BlockIndex, encoded);
                if (outcome == BlockWriteOutcome.GenerationLost) return Lost();
            }
        }
        catch
        {
            // The finished block exists nowhere else; forgetting everything makes the job's reconciliation see
            // an empty stitcher and send the block's tiles again, instead of a full stitcher that never writes.
            Forget(StitchOutcome.Pending);
            throw;
        }
        return Release();
    }

    public Task<StitchProgress> GetProgress() => Task.FromResult(new StitchProgress(written, [.. tiles]));

    public Task Discard()
    {
        Forget(StitchOutcome.Pending);
        return Task.CompletedTask;
    }

    StitchOutcome Release()
    {
        written = true;
        accumulator = null;
        tiles.Clear();
        DeactivateOnIdle();
        return StitchOutcome.Written;
    }

    /// <summary>This generation's output is gone for good (the grain's key holds the generation): the contributions
    /// still arriving get the same answer from this activation, which holds nothing and deactivates a moment later.
    /// Deactivating at once bounced the contributions queued behind it from one fresh activation to the next until
    /// Orleans rejected them (two dozen concurrent contributions to one block did that).</summary>
    StitchOutcome Lost()
    {
        if (!lost)
            this.RegisterGrainTimer(() =>
            {
                DeactivateOnIdle();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions { DueTime = LostLinger, Period = Timeout.InfiniteTimeSpan });
        lost = true;
        accumulator = null;
        tiles.Clear();
        return StitchOutcome.WriterLost;
    }

    static readonly TimeSpan LostLinger = TimeSpan.FromSeconds(1);

    StitchOutcome Forget(StitchOutcome outcome)
    {
        accumulator = null;
        tiles.Clear();
        // A message already queued behind the deactivation may still reach this activation: it must ask again.
        writerConsulted = false;
        DeactivateOnIdle();
        return outcome;
    }
}
