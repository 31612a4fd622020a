using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Pipeline.Grains.Messages;
using Pipeline.Grains.Placement;
using Pipeline.Grains.Planning;
using Pipeline.Grains.Stitching;
using Pipeline.Grains.Telemetry;
using Pipeline.Grains.Workers;
using Pipeline.Grains.Writing;
using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Jobs;

/// <summary>
/// Runs a scene job as a background loop on this activation (the "pump"): keep the window of tiles in flight full,
/// collect outcomes, checkpoint the manifest, and when every block is written, commit. Recovery rests on three facts:
/// tiles are idempotent (stitchers and the writer ignore repeats), stitchers can be asked what they hold (a fresh
/// activation holds nothing), and the writer can be asked whether its generation's file still exists. After a silo
/// is declared dead, after a cluster error, when resuming, and when all tiles are in but blocks are missing, the
/// job reconciles: blocks the writer has are written, done tiles a stitcher lacks are sent again, and a lost file
/// starts a new generation from scratch.
/// </summary>
[CoordinatorSiloPlacementFilter]
public sealed class SceneJobGrain(
    [PersistentState("job")] IPersistentState<SceneJobManifest> job,
    TilePlanCache plans,
    ITileUpscaler upscaler,
    IClusterMembershipService membership,
    ISiloMetadataCache siloMetadata,
    SceneMetrics sceneMetrics,
    JobMetrics metrics,
    ILogger<SceneJobGrain> logger) : Grain, ISceneJobGrain, IRemindable
{
    const string KeepRunningReminder = "keep-running";
    static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan RecallPatience = TimeSpan.FromSeconds(5);
    static readonly TimeSpan ReminderRetryInterval = TimeSpan.FromSeconds(10);

    /// <summary>Failures of the cluster itself a tile may see (backoff up to 5 s each: minutes, enough for a silo
    /// to be declared dead and its grains to move) before the job gives up.</summary>
    const int MaxClusterFailuresPerTile = 40;

    /// <summary>Reconciliations that find nothing to redo while blocks are still missing before the job fails.</summary>
    const int MaxFruitlessReconciliations = 20;

    readonly TileSchedule schedule = new();
    readonly Dictionary<int, Flight> inFlight = [];
    CancellationTokenSource? runStop;
    CancellationTokenSource? generationStop;
    Task? pump;
    IRasterReader? reader;
    TilePlan? plan;
    StitchContext? context;
    bool prepared;
    bool reconcileDue;
    int fruitlessReconciliations;
    int deadSilosSeen;
    DateTime lastCheckpoint;
    bool dirty;
    JobProgress? progress;
    Task? reminderRegistration;
    DateTime nextReminderAttempt;

    SceneJobManifest Manifest => job.State;
    string JobId => this.GetPrimaryKeyString();
    string Model => Manifest.Spec?.Model ?? upscaler.Name;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Manifest.State == JobState.Running) StartPump();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The job goes on wherever it is activated next (the reminder or the next status call brings it back).
        // A silo going down may not answer the pump's last calls; its deactivation must not wait for them.
        runStop?.Cancel();
        if (pump is not null) await Task.WhenAny(pump, Task.Delay(RecallPatience, cancellationToken));
    }

    public async Task<SceneJobStatus> Submit(SceneJobSpec spec)
    {
        spec = spec with
        {
            Model = ModelName.Resolve(spec.Model, upscaler.Name)
                ?? throw new ArgumentException($"the cluster runs the model '{upscaler.Name}', not '{spec.Model}'"),
        };
        if (Manifest.Spec is { } existing)
        {
            if (existing != spec) throw new ArgumentException($"job id '{JobId}' is already used by a job for {existing.InputPath}");
            // A submission retried after a lost answer: make sure the job runs here.
            if (Manifest.State == JobState.Running) StartPump();
            return Status();
        }
        spec.Validate();

        Manifest.Spec = spec;
        Manifest.State = JobState.Running;
        Manifest.SubmittedAt = DateTime.UtcNow;
        await job.WriteStateAsync();
        sceneMetrics.Submitted(spec.Batch);
        // For the jobs page only: a job runs whether or not the index hears of it.
        await IgnoreClusterFailure(() => GrainFactory.GetGrain<IJobIndexGrain>(JobIndexGrain.Key).Add(JobId));
        // The pump registers the reminder: the reminder service may be rebalancing after a lost silo, and a job
        // must not sit accepted but idle because that call failed.
        StartPump();
        return Status();
    }

    /// <summary>Also revives a running job whose pump is not running here (any status poll heals a stalled job).</summary>
    public Task<SceneJobStatus> GetStatus()
    {
        if (Manifest.State == JobState.Running) StartPump();
        return Task.FromResult(Status());
    }

    public async Task<SceneJobStatus> Cancel()
    {
        if (Manifest.State != JobState.Running) return Status();
        Manifest.State = JobState.Cancelled;
        Manifest.Error = "cancelled";
        Manifest.FinishedAt = DateTime.UtcNow;
        await job.WriteStateAsync();
        Finished("cancelled");
        metrics.Finished(Model, JobState.Cancelled);
        // The pump sees the state, stops, and on its way out releases the job's tiles, stitchers and file.
        StartPump();
        await StopPumpAsync();
        return Status();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Manifest.State == JobState.Running) StartPump();
        else await ForgetReminderAsync();
    }

    SceneJobStatus Status()
    {
        var m = Manifest;
        var elapsed = m.Spec is null ? TimeSpan.Zero : (m.FinishedAt ?? DateTime.UtcNow) - m.SubmittedAt;
        return new SceneJobStatus(JobId, m.State, m.DoneTiles.Count, m.DoneTiles.Capacity, m.WrittenBlocks.Count, m.WrittenBlocks.Capacity,
            m.Error, m.Spec?.OutputPath, m.Spec?.Model, m.Output, m.OverlapOvercompute, elapsed, m.TileFailures, m.TilesRecomputed,
            m.Generation, m.Writer);
    }

    void StartPump()
    {
        if (pump is { IsCompleted: false }) return;
        runStop = new CancellationTokenSource();
        sceneMetrics.Running(JobId, Manifest.Spec?.Batch);
        pump = RunAsync(runStop.Token);
    }

    async Task StopPumpAsync()
    {
        if (pump is null) return;
        runStop!.Cancel();
        await pump;
        pump = null;
    }

    async Task RunAsync(CancellationToken stop)
    {
        prepared = false;
        var clusterFailures = 0;
        if (Manifest.State == JobState.Running) progress = metrics.Started(JobId);
        logger.LogInformation("Job {JobId}: running ({Done}/{Total} tiles done)", JobId, Manifest.DoneTiles.Count, Manifest.DoneTiles.Capacity);
        try
        {
            while (!stop.IsCancellationRequested && Manifest.State == JobState.Running)
            {
                try
                {
                    await StepAsync(stop);
                    clusterFailures = 0;
                }
                catch (Exception e) when (IsClusterFailure(e) && !stop.IsCancellationRequested && ++clusterFailures < MaxClusterFailuresPerTile)
                {
                    // The writer (opening, committing) or another grain sat on a silo that just went away: its
                    // activation moves once the cluster declares that silo dead. Look again, then reconcile.
                    logger.LogWarning(e, "Job {JobId}: cluster call failed (attempt {Attempt}); retrying", JobId, clusterFailures);
                    reconcileDue = true;
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 * clusterFailures)), stop);
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Stopped (cancelled, or deactivating: e.g. its directory entry went with a dead silo). A call cut short by
            // that is no failure of the job, which goes on wherever it is activated next.
        }
        catch (Exception e)
        {
            await FailAsync(e);
        }
        finally
        {
            await EndRunAsync();
            sceneMetrics.Stopped(JobId);
            metrics.Stopped(JobId);
        }
    }

    /// <summary>One turn of the pump: prepare once, reconcile when due, dispatch, collect or commit.</summary>
    async Task StepAsync(CancellationToken stop)
    {
        EnsureReminder();
        if (!prepared) await PrepareAsync(stop);
        if (SilosDied()) reconcileDue = true;
        if (reconcileDue) await ReconcileAsync(stop);
        if (Manifest.State != JobState.Running) return;
        Dispatch();
        if (inFlight.Count == 0 && schedule.Count == 0)
        {
            if (Manifest.WrittenBlocks.IsFull)
            {
                await CommitAsync();
                return;
            }
            // Every tile is in, yet blocks are missing: a stitcher or writer was lost unnoticed.
            if (++fruitlessReconciliations > MaxFruitlessReconciliations)
                throw new InvalidOperationException(
                    $"{Manifest.WrittenBlocks.Capacity - Manifest.WrittenBlocks.Count} blocks stay unwritten although every tile is in");
            reconcileDue = true;
            await Task.Delay(PollInterval, stop);
            return;
        }
        await Task.WhenAny(inFlight.Values.Select(f => (Task)f.Outcome).Append(Task.Delay(PollInterval, stop)));
        await CollectAsync();
        progress?.Set(Manifest.DoneTiles.Count, Manifest.DoneTiles.Capacity);
        await CheckpointAsync(force: false);
    }

    /// <summary>Opens the input and plans the scene, or, for a job that was planned before, takes up its plan and
    /// reconciles first. Done again if it failed on a cluster call (opening the writer).</summary>
    async Task PrepareAsync(CancellationToken stop)
    {
        var spec = Manifest.Spec!;
        reader?.Dispose();
        reader = await Task.Run(() => RasterReaders.Open(spec.InputPath), stop);
        if (Manifest.Plan is { } planned)
        {
            // Resuming: find out what survived before sending anything.
            plan = plans.Get(planned);
            generationStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            context = new StitchContext(JobId, Manifest.Generation, planned, Manifest.Bands, Manifest.Nodata);
            reconcileDue = true;
        }
        else
        {
            await PlanAsync(spec, reader.Info);
        }
        if (upscaler.NeedsValueRange && !new ValueRange(Manifest.Black, Manifest.White).IsValid)
        {
            var source = reader;
            var levels = await Task.Run(() => ValueRange.Of(source), stop);
            (Manifest.Black, Manifest.White) = (levels.Black, levels.White);
            dirty = true;
        }
        deadSilosSeen = DeadSiloCount();
        schedule.Reset(Enumerable.Range(0, plan!.Tiles.Count).Where(tile => !Manifest.DoneTiles.Contains(tile)));
        prepared = true;
    }

    async Task PlanAsync(SceneJobSpec spec, RasterInfo info)
    {
        spec.CheckOutputSize(info.ScaledBy(spec.Scale));
        var parameters = PlanParameters.For(info.Width, info.Height, spec.Scale, upscaler, spec.TilingFor(upscaler, info.Bands));
        try
        {
            plan = plans.Get(parameters);
            // Refuse up front what could not travel within the message cap, rather than fail tile after tile.
            TilePixels.EnsureFits(plan.Tiles.Select(t => t.LrWindow).MaxBy(w => w.Area), info.Bands, TileReading.FormatOf(info.SampleType), nameof(spec));
        }
        catch (ArgumentException e)
        {
            throw new RasterFormatException(spec.InputPath, e.Message, e);
        }
        var output = info.ScaledBy(spec.Scale);
        Manifest.Plan = parameters;
        Manifest.Bands = info.Bands;
        Manifest.Nodata = (float)(info.NoData ?? 0);
        Manifest.Output = $"{output.Width}x{output.Height}, {output.Bands} band(s) {output.SampleType}";
        Manifest.OverlapOvercompute = plan.OverlapOvercompute;
        Manifest.DoneTiles = new IndexSet(plan.Tiles.Count);
        Manifest.WrittenBlocks = new IndexSet(plan.Blocks.Count);
        await StartGenerationAsync(1);
    }

    async Task StartGenerationAsync(int generation)
    {
        var spec = Manifest.Spec!;
        generationStop = CancellationTokenSource.CreateLinkedTokenSource(runStop!.Token);
        context = new StitchContext(JobId, generation, Manifest.Plan!, Manifest.Bands, Manifest.Nodata);
        Manifest.Generation = generation;
        Manifest.TemporaryPath = await GrainFactory.Writer(JobId).Open(new WriterSetup(
            generation, spec.InputPath, spec.OutputPath, spec.Scale, Manifest.Plan!, spec.Compression, spec.BuildOverviews));
        await CheckpointAsync(force: true);
    }

    /// <summary>The writer lost its file: everything written so far went with it, and the finished blocks exist
    /// nowhere else, so the whole scene is computed again into a new file with fresh stitchers.</summary>
    async Task RestartGenerationAsync()
    {
        logger.LogWarning("Job {JobId}: the writer of generation {Generation} was lost; starting the output again", JobId, Manifest.Generation);
        generationStop?.Cancel();
        DiscardStitchers(OpenBlocks());
        inFlight.Clear();
        var lostFile = Manifest.TemporaryPath;
        if (lostFile is not null) await Task.Run(() => File.Delete(lostFile));
        Manifest.DoneTiles.Clear();
        Manifest.WrittenBlocks.Clear();
        await StartGenerationAsync(Manifest.Generation + 1);
        schedule.Reset(Enumerable.Range(0, plan!.Tiles.Count));
    }

    void Dispatch()
    {
        var limit = Manifest.Spec!.MaxTilesInFlight > 0
            ? Manifest.Spec.MaxTilesInFlight
            : WorkerCapacity.ForBands(WorkerCapacity.TilesInFlight(membership.CurrentSnapshot, siloMetadata), Manifest.Bands, plan!.TileSizeHr);
        var now = DateTime.UtcNow;
        while (inFlight.Count < limit && schedule.TryTake(now, out var tile))
            inFlight[tile] = new Flight(Manifest.Generation, SendAsync(tile, context!, generationStop!.Token));
    }

    async Task<TileOutcome> SendAsync(int tile, StitchContext target, CancellationToken cancellation)
    {
        var source = reader!;
        var window = plan!.Tiles[tile].LrWindow;
        var (pixels, validity) = await Task.Run(() => TileReading.Read(source, window), cancellation);
        return await GrainFactory.ForTile(tile).Contribute(new TileTask(target, tile, pixels, validity, Manifest.Spec!.Model, Manifest.Black, Manifest.White), cancellation);
    }

    async Task CollectAsync()
    {
        foreach (var (tile, flight) in inFlight.Where(f => f.Value.Outcome.IsCompleted).ToList())
        {
            inFlight.Remove(tile);
            if (flight.Generation != Manifest.Generation) continue;
            if (flight.Outcome.IsCompletedSuccessfully)
            {
                var outcome = flight.Outcome.Result;
                if (outcome.WriterLost)
                {
                    await RestartGenerationAsync();
                    return;
                }
                if (Manifest.DoneTiles.Add(tile)) metrics.TileDone(Model);
                MarkWritten(outcome.WrittenBlocks);
                fruitlessReconciliations = 0;
                dirty = true;
                continue;
            }

            var error = flight.Outcome.Exception?.GetBaseException() ?? new TimeoutException($"tile {tile} was cancelled");
            var clusterFailure = IsClusterFailure(error);
            var failures = schedule.Failed(tile, DateTime.UtcNow);
            Manifest.TileFailures++;
            metrics.TileFailed(Model, clusterFailure);
            dirty = true;
            logger.LogWarning(error, "Job {JobId}: tile {Tile} failed (attempt {Attempt})", JobId, tile, failures);
            if (clusterFailure) reconcileDue = true;
            if (failures >= (clusterFailure ? MaxClusterFailuresPerTile : Manifest.Spec!.MaxTileAttempts))
                throw new InvalidOperationException(TileFailure(tile, failures, error), error);
        }
    }

    /// <summary>The job's error after a tile's last attempt, as <c>&lt;file&gt;: &lt;problem&gt;</c>: the file the cause
    /// names (the input or the output), else the input.</summary>
    string TileFailure(int tile, int failures, Exception error)
    {
        var spec = Manifest.Spec!;
        var attempts = $"tile {tile}, {failures} attempts";
        return new[] { spec.InputPath, spec.OutputPath }.Any(path => error.Message.StartsWith(path + ": ", StringComparison.Ordinal))
            ? $"{error.Message} ({attempts})"
            : $"{spec.InputPath}: {error.Message} ({attempts})";
    }

    /// <summary>Brings the manifest in line with what the writer and stitchers actually hold (see the class remarks).</summary>
    async Task ReconcileAsync(CancellationToken stop)
    {
        reconcileDue = false;
        try
        {
            var writer = await GrainFactory.Writer(JobId).GetProgress(Manifest.Generation);
            if (!writer.Open)
            {
                await RestartGenerationAsync();
                return;
            }
            MarkWritten(writer.WrittenBlocks);
            if (writer.Report is not null)
            {
                // Committed before the previous activation could record it.
                await SucceedAsync(writer.Report);
                return;
            }

            var open = OpenBlocks().Where(block => !Manifest.WrittenBlocks.Contains(block)).ToList();
            var held = await Task.WhenAll(open.Select(block => GrainFactory.Stitcher(JobId, Manifest.Generation, block).GetProgress()));
            var recomputed = 0;
            for (var i = 0; i < open.Count; i++)
            {
                if (held[i].Written)
                {
                    MarkWritten([open[i]]);
                    continue;
                }
                var holds = held[i].Tiles.ToHashSet();
                foreach (var tile in plan!.Blocks[open[i]].Contributors)
                {
                    if (holds.Contains(tile) || !Manifest.DoneTiles.Remove(tile)) continue;
                    schedule.Add(tile);
                    Manifest.TilesRecomputed++;
                    recomputed++;
                    fruitlessReconciliations = 0;
                }
            }
            metrics.TilesRecomputed(Model, recomputed);
            dirty = true;
        }
        catch (Exception e) when (IsClusterFailure(e))
        {
            // The lost silo is not declared dead yet, or its grains are still moving: look again shortly.
            logger.LogInformation(e, "Job {JobId}: reconciliation postponed", JobId);
            reconcileDue = true;
            await Task.Delay(PollInterval, stop);
        }
    }

    async Task CommitAsync()
    {
        var writer = GrainFactory.Writer(JobId);
        var progress = await writer.GetProgress(Manifest.Generation);
        if (!progress.Open)
        {
            await RestartGenerationAsync();
            return;
        }
        await SucceedAsync(progress.Report ?? await writer.Commit(Manifest.Generation));
    }

    async Task SucceedAsync(WriterReport report)
    {
        Manifest.Writer = report;
        Manifest.State = JobState.Succeeded;
        Manifest.FinishedAt = DateTime.UtcNow;
        Manifest.TemporaryPath = null;
        await CheckpointAsync(force: true);
        Finished("succeeded");
        metrics.Finished(Model, JobState.Succeeded);
        logger.LogInformation("Job {JobId}: wrote {Output} in {Elapsed}", JobId, Manifest.Spec!.OutputPath, Manifest.FinishedAt - Manifest.SubmittedAt);
    }

    async Task FailAsync(Exception error)
    {
        if (Manifest.State != JobState.Running) return;
        logger.LogError(error, "Job {JobId} failed", JobId);
        Manifest.State = JobState.Failed;
        Manifest.Error = error.Message.ReplaceLineEndings(" ");
        Manifest.FinishedAt = DateTime.UtcNow;
        await CheckpointAsync(force: true);
        Finished("failed");
        metrics.Finished(Model, JobState.Failed);
    }

    void Finished(string outcome) => sceneMetrics.Finished(Manifest.Spec?.Batch, outcome, Manifest.FinishedAt!.Value - Manifest.SubmittedAt);

    /// <summary>Recalls the tiles in flight; a finished job also gives back its writer, stitchers and reminder.</summary>
    async Task EndRunAsync()
    {
        generationStop?.Cancel();
        var open = Manifest.State is JobState.Failed or JobState.Cancelled ? OpenBlocks() : [];
        // Cancelled calls return at once when their silo answers; one that died with its silo is not waited for.
        var recalled = Task.WhenAll(inFlight.Values.Select(f => f.Outcome.ContinueWith(_ => { }, TaskScheduler.Default)));
        await Task.WhenAny(recalled, Task.Delay(RecallPatience));
        inFlight.Clear();
        reader?.Dispose();
        reader = null;
        if (!Manifest.State.IsFinal()) return;
        if (Manifest.State != JobState.Succeeded)
        {
            // Writer first: a late tile that wakes a stitcher after its discard then learns the generation is gone
            // from the writer, instead of being told "not written" and waiting for tiles that never come.
            await IgnoreClusterFailure(() => GrainFactory.Writer(JobId).Abort());
            DiscardStitchers(open);
            Manifest.TemporaryPath = null;
            await CheckpointAsync(force: true);
        }
        await ForgetReminderAsync();
    }

    void MarkWritten(IEnumerable<int> blocks)
    {
        var added = 0;
        foreach (var block in blocks)
            if (Manifest.WrittenBlocks.Add(block)) added++;
        metrics.BlocksWritten(Model, added);
    }

    /// <summary>Blocks not known to be written that may hold contributions: those of tiles done or in flight.</summary>
    List<int> OpenBlocks()
    {
        if (plan is null) return [];
        var blocks = new SortedSet<int>();
        foreach (var tile in Manifest.DoneTiles.Members().Concat(inFlight.Keys))
            blocks.UnionWith(plan.Tiles[tile].Blocks);
        blocks.ExceptWith(Manifest.WrittenBlocks.Members());
        return [.. blocks];
    }

    void DiscardStitchers(IEnumerable<int> blocks)
    {
        var generation = Manifest.Generation;
        foreach (var block in blocks)
            _ = IgnoreClusterFailure(() => GrainFactory.Stitcher(JobId, generation, block).Discard());
    }

    async Task CheckpointAsync(bool force)
    {
        if (!force && (!dirty || DateTime.UtcNow - lastCheckpoint < CheckpointInterval)) return;
        try
        {
            await job.WriteStateAsync();
            dirty = false;
            lastCheckpoint = DateTime.UtcNow;
        }
        catch (Exception e) when (!force)
        {
            // A missed checkpoint only means more tiles are re-sent after a crash; the next one may succeed.
            logger.LogWarning(e, "Job {JobId}: checkpoint failed", JobId);
        }
    }

    /// <summary>Registers the keep-running reminder (it reactivates the job after a crash when nobody polls it) without
    /// holding up the pump; a failed registration is retried every <see cref="ReminderRetryInterval"/>.</summary>
    void EnsureReminder()
    {
        if (reminderRegistration is { IsCompletedSuccessfully: true } or { IsCompleted: false } || DateTime.UtcNow < nextReminderAttempt) return;
        if (reminderRegistration?.Exception is { } failed)
            logger.LogWarning(failed.GetBaseException(), "Job {JobId}: could not register its reminder yet; retrying", JobId);
        nextReminderAttempt = DateTime.UtcNow + ReminderRetryInterval;
        reminderRegistration = this.RegisterOrUpdateReminder(KeepRunningReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    async Task ForgetReminderAsync()
    {
        if (reminderRegistration is { IsCompleted: false } pending) await Task.WhenAny(pending, Task.Delay(RecallPatience));
        if (await this.GetReminder(KeepRunningReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    bool SilosDied()
    {
        var dead = DeadSiloCount();
        if (dead == deadSilosSeen) return false;
        deadSilosSeen = dead;
        return true;
    }

    int DeadSiloCount() => membership.CurrentSnapshot.Members.Values.Count(member => member.Status == SiloStatus.Dead);

    /// <summary>Errors of the cluster rather than of the tile: a silo gone or unreachable, no worker yet, a timeout.</summary>
    static bool IsClusterFailure(Exception e) => e is OrleansException or TimeoutException or OperationCanceledException;

    static async Task IgnoreClusterFailure(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (IsClusterFailure(e))
        {
            // Best effort: an unreachable grain's state went with its silo anyway.
        }
    }

    readonly record struct Flight(int Generation, Task<TileOutcome> Outcome);
}
