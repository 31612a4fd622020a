using Pipeline.Grains.Messages;
using Pipeline.Grains.Placement;
using Pipeline.Grains.Planning;
using Pipeline.Imaging;
using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Writing;

/// <summary>
/// Owns the open output (<see cref="IRasterSink"/>) of a job's current generation. Calls are serialised (non-reentrant),
/// and file work runs on the thread pool so the silo's scheduler is never blocked on disk or deflate.
/// Nothing is persisted: a TIFF whose directory is not written yet cannot be reopened, so a lost activation means
/// a lost file, which the job notices (<see cref="BlockWriteOutcome.GenerationLost"/>) and redoes.
/// </summary>
[CoordinatorSiloPlacementFilter]
public sealed class SceneWriterGrain(TilePlanCache plans, InputPolicy inputs, OutputPolicy outputs) : Grain, ISceneWriterGrain
{
    IRasterSink? file;
    WriterSetup? setup;
    RasterInfo? input;
    TilePlan? plan;
    readonly SceneConsistencyCollector measured = new();
    int generation;
    WrittenBlocks? blocks;
    MosaicPreview? preview;
    WriterReport? committed;
    TileLayout? committedLayout;
    long tileWrites;
    int repeatedStrips;

    public async Task<string> Open(WriterSetup setup)
    {
        if (file is not null && generation == setup.Generation) return file.TemporaryPath;
        Close();
        var newPlan = plans.Get(setup.Plan);
        (file, input) = await Task.Run(() =>
        {
            // Again here, as the file is made: a link swapped in since submit must not lead the output elsewhere.
            if (outputs.Problem(setup.OutputPath) is { } outside) throw outside;
            ScenePaths.Check(setup.InputPath, setup.OutputPath);
            using var reader = RasterReaders.Open(setup.InputPath, inputs);
            return (RasterSinks.Create(setup.OutputPath, reader.Info.ScaledBy(setup.Scale).WithModel(setup.Model, setup.WeightsSha256).WithUncertaintyBand(setup.UncertaintyDraws), setup.Output), reader.Info);
        });
        this.setup = setup;
        plan = newPlan;
        measured.Clear();
        generation = setup.Generation;
        blocks = new WrittenBlocks(newPlan, file.Info.Bands);
        preview = new MosaicPreview(file.Info.Width, file.Info.Height, file.Info.Bands);
        committed = null;
        tileWrites = 0;
        repeatedStrips = 0;
        return file.TemporaryPath;
    }

    public async Task<BlockWriteOutcome> Write(int generation, int blockIndex, EncodedPiece piece)
    {
        if (!Holds(generation) || file is null || blocks is null) return Lost();
        if (blocks.IsWritten(blockIndex) || !blocks.IsNewPiece(blockIndex, piece.Window, piece.FirstBand))
        {
            repeatedStrips++;
            return blocks.IsWritten(blockIndex) ? BlockWriteOutcome.Written : BlockWriteOutcome.NotWritten;
        }
        var target = file;
        var thumbnail = preview!;
        // The stitcher encoded the tiles: what is left here is placing bytes, and the overview tiles no block covered whole.
        await Task.Run(() =>
        {
            using var timed = PipelineStages.Time(PipelineStage.Place);
            target.Place(piece);
            thumbnail.Add(new RasterBlock(piece.Reduced.Window, piece.Bands, piece.Reduced.Pixels), piece.FirstBand, 1 << piece.Reduced.Level);
        });
        if (piece.FirstBand == 0) tileWrites += WriterTilesIn(piece.Window, target.TileSize);
        return blocks.AddPiece(blockIndex, piece.Window, piece.FirstBand, piece.Bands) ? BlockWriteOutcome.Written : BlockWriteOutcome.NotWritten;
    }

    public Task<StitchConsultation> Consult(int generation, int blockIndex)
    {
        var state = State(generation, blockIndex);
        return Task.FromResult(new StitchConsultation(state, state == BlockWriteOutcome.GenerationLost ? null : file?.Layout ?? committedLayout));
    }

    public Task Measured(int generation, int tileIndex, ConsistencySums sums)
    {
        // A tile sent again (a lost stitcher) measures the same pixels the same way: the latest copy stands. A late tile
        // of a job that is gone must not keep this activation alive.
        if (!Holds(generation)) Lost();
        else if (committed is null) measured.Add(tileIndex, sums);
        return Task.CompletedTask;
    }

    public Task<BlockWriteOutcome> Check(int generation, int blockIndex) => Task.FromResult(State(generation, blockIndex));

    BlockWriteOutcome State(int generation, int blockIndex) =>
        !Holds(generation) ? Lost()
        : committed is not null || blocks!.IsWritten(blockIndex) ? BlockWriteOutcome.Written
        : BlockWriteOutcome.NotWritten;

    public Task<byte[]?> GetPreview(int generation) =>
        Task.FromResult(Holds(generation) && preview is not null ? preview.ToPng() : null);

    public Task<WriterProgress> GetProgress(int generation)
    {
        if (Holds(generation)) return Task.FromResult(new WriterProgress(true, blocks!.Members(), committed));
        Lost();
        return Task.FromResult(new WriterProgress(false, [], null));
    }

    public async Task<WriterReport> Commit(int generation)
    {
        if (committed is not null && this.generation == generation) return committed;
        if (!Holds(generation) || file is null)
            throw new InvalidOperationException($"the output file of generation {generation} was lost before it was committed");
        var target = file;
        var (job, scene, sceneInput) = (setup!, plan!, input!);
        var (consistency, mapPath, rejectedPath) = await Task.Run(() =>
        {
            var figures = measured.Finish(scene, job.Levels, sceneInput.BandScales, ConsistencyReport.MapThreshold(job), out var map);
            if (figures is not null) target.SetMetadataItems(SceneConsistencyCollector.MetadataItems(figures, job.Enforced));
            var rejected = figures is not null && job.MaxInconsistency is { } bound && figures.Inconsistency > bound;
            var finalPath = rejected ? OutputSidecars.Rejected(job.OutputPath) : null;
            using (PipelineStages.Time(PipelineStage.Layout)) target.Commit(finalPath);
            string? written = null;
            if (map is not null)
            {
                written = OutputSidecars.ConsistencyMap(job.OutputPath);
                map.Write(written, sceneInput, ConsistencyReport.MapThreshold(job));
            }
            return (figures, written, finalPath);
        });
        committedLayout = target.Layout;
        committed = new WriterReport(tileWrites, WriterTilesIn(new(0, 0, target.Info.Width, target.Info.Height), target.TileSize), repeatedStrips,
            consistency, mapPath, rejectedPath);
        file = null;
        measured.Clear();
        return committed;
    }

    public Task Abort()
    {
        Close();
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // An uncommitted file is useless to a later activation; the job learns of it through GenerationLost.
        Close();
        return Task.CompletedTask;
    }

    /// <summary>Answers for a generation this activation does not hold. An activation holding nothing at all was
    /// only woken by the question (a late tile of a cancelled job, or the job checking after a crash): it goes.</summary>
    BlockWriteOutcome Lost()
    {
        if (file is null && committed is null) DeactivateOnIdle();
        return BlockWriteOutcome.GenerationLost;
    }

    bool Holds(int requested) => requested == generation && (file is not null || committed is not null);

    void Close()
    {
        file?.Dispose();
        file = null;
        committed = null;
        preview = null;
        measured.Clear();
    }

    static int WriterTilesIn(Imaging.Rasters.PixelWindow window, int tileSize) =>
        ((window.Width + tileSize - 1) / tileSize) * ((window.Height + tileSize - 1) / tileSize);
}
