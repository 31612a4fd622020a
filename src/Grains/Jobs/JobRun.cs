using Microsoft.Extensions.Logging;
using Pipeline.Grains.Messages;
using Pipeline.Grains.Planning;
using Pipeline.Grains.Telemetry;
using Pipeline.Grains.Workers;
using Pipeline.Grains.Writing;
using Pipeline.Imaging;
using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Jobs;

/// <summary>
/// A scene job's state machine, run as a background loop (the "pump"): plan, keep the window of tiles in flight
/// full, collect outcomes, checkpoint the manifest, and when every block is written, commit. Recovery rests on three
/// facts: tiles are idempotent (stitchers and the writer ignore repeats), stitchers can be asked what they hold (a
/// fresh activation holds nothing), and the writer can be asked whether its generation's file still exists. After a
/// silo is declared dead, after a cluster error, when resuming, and when all tiles are in but blocks are missing, the
/// job reconciles: blocks the writer has are written, done tiles a stitcher lacks are sent again, and a lost file
/// starts a new generation from scratch. Everything outside goes through <see cref="IJobCluster"/>.
/// </summary>
public sealed class JobRun(
    string jobId,
    SceneJobManifest manifest,
    IJobCluster cluster,
    TilePlanCache plans,
    ITileUpscaler upscaler,
    JobMetrics metrics,
    SceneMetrics sceneMetrics,
    InputPolicy inputs,
    ILogger logger)
{
    static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan RecallPatience = TimeSpan.FromSeconds(5);

    readonly TileSchedule schedule = new();
    readonly Reconciler reconciler = new(cluster);
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

    /// <summary>Tiles held after their worker's connection was lost, with the dead-silo count when they were sent.</summary>
    readonly Dictionary<int, (int DeadSilos, DateTime Until)> suspects = [];

    /// <summary>Suspects whose hold ran out before the cluster ruled (a loaded cluster can take longer than the
    /// patience): sent again, but a death declared later still counts against them, for a while.</summary>
    readonly List<(int Tile, int DeadSilos, DateTime GiveUp)> lateVerdicts = [];
    DateTime lastCheckpoint;
    bool dirty;
    JobProgress? progress;

    string Model => manifest.Spec?.Model ?? upscaler.Name;

    RetryPolicy Retries => manifest.Spec?.RetriesOrDefault ?? RetryPolicy.Default;

    /// <summary>The current pump: completes when the loop has stopped and cleaned up.</summary>
    public Task Pump => pump ?? Task.CompletedTask;

    public SceneJobStatus Status() => SceneJobStatus.Of(jobId, manifest);

    /// <summary>Takes a new, validated job (Unknown → Running) and saves it; the caller starts the pump.</summary>
    public async Task AcceptAsync(SceneJobSpec spec)
    {
        manifest.Spec = spec;
        manifest.State = JobState.Running;
        manifest.SubmittedAt = DateTime.UtcNow;
        await cluster.SaveAsync();
        sceneMetrics.Submitted(spec.Batch);
    }

    /// <summary>Running → Cancelled; the pump sees the state, stops, and releases the job's tiles, stitchers and file.</summary>
    public async Task CancelAsync()
    {
        if (manifest.State != JobState.Running) return;
        manifest.State = JobState.Cancelled;
        manifest.Error = "cancelled";
        manifest.FinishedAt = DateTime.UtcNow;
        await cluster.SaveAsync();
        Finished("cancelled");
        Start();
        await Stop();
    }

    /// <summary>Starts the pump unless it is running.</summary>
    public void Start()
    {
        if (pump is { IsCompleted: false }) return;
        runStop = new CancellationTokenSource();
        sceneMetrics.Running(jobId, manifest.Spec?.Batch);
        pump = RunAsync(runStop.Token);
    }

    /// <summary>Stops the pump; the task completes once it has cleaned up.</summary>
    public Task Stop()
    {
        runStop?.Cancel();
        return Pump;
    }

    async Task RunAsync(CancellationToken stop)
    {
        prepared = false;
        var clusterFailures = 0;
        if (manifest.State == JobState.Running) progress = metrics.Started(jobId);
        logger.LogInformation("Job {JobId}: running ({Done}/{Total} tiles done)", jobId, manifest.DoneTiles.Count, manifest.DoneTiles.Capacity);
        try
        {
            while (!stop.IsCancellationRequested && manifest.State == JobState.Running)
            {
                try
                {
                    await StepAsync(stop);
                    clusterFailures = 0;
                }
                catch (Exception e) when (RetryPolicy.IsTransient(e, stop) && ++clusterFailures < Retries.ClusterAttempts)
                {
                    // The writer (opening, committing) or another grain sat on a silo that just went away: its
                    // activation moves once the cluster declares that silo dead. Look again, then reconcile.
                    logger.LogWarning(e, "Job {JobId}: cluster call failed (attempt {Attempt}); retrying", jobId, clusterFailures);
                    reconcileDue = true;
                    await Task.Delay(Retries.Backoff(clusterFailures), stop);
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
            sceneMetrics.Stopped(jobId);
            metrics.Stopped(jobId);
        }
    }

    /// <summary>One turn of the pump: prepare once, reconcile when due, dispatch, collect or commit.</summary>
    async Task StepAsync(CancellationToken stop)
    {
        cluster.KeepAlive();
        if (!prepared) await PrepareAsync(stop);
        if (SilosDied()) reconcileDue = true;
        JudgeSuspects();
        if (reconcileDue) await ReconcileAsync(stop);
        if (manifest.State != JobState.Running) return;
        Dispatch();
        if (inFlight.Count == 0 && schedule.Count == 0)
        {
            if (manifest.WrittenBlocks.IsFull)
            {
                await CommitAsync();
                return;
            }
            // Every tile is in, yet blocks are missing: a stitcher or writer was lost unnoticed.
            if (++fruitlessReconciliations > Retries.FruitlessReconciliations)
                throw new InvalidOperationException(
                    $"{manifest.WrittenBlocks.Capacity - manifest.WrittenBlocks.Count} blocks stay unwritten although every tile is in");
            reconcileDue = true;
            await Task.Delay(PollInterval, stop);
            return;
        }
        await Task.WhenAny(inFlight.Values.Select(f => (Task)f.Outcome).Append(Task.Delay(PollInterval, stop)));
        await CollectAsync();
        progress?.Set(manifest.DoneTiles.Count, manifest.DoneTiles.Capacity);
        await CheckpointAsync(force: false);
    }

    /// <summary>Reading work on the thread pool that a stop abandons instead of waiting for: a remote read blocked on a
    /// silent server ends only at GDAL's timeouts, and must hold neither a cancel nor a silo's shutdown that long. What
    /// it opens after being abandoned is disposed.</summary>
    static async Task<T> Abandonable<T>(Func<T> work, CancellationToken stop)
    {
        var running = Task.Run(work);
        try
        {
            return await running.WaitAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _ = running.ContinueWith(done => (done.Result as IDisposable)?.Dispose(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>Opens the input and plans the scene, or, for a job that was planned before, takes up its plan and
    /// reconciles first. Done again if it failed on a cluster call (opening the writer).</summary>
    async Task PrepareAsync(CancellationToken stop)
    {
        var spec = manifest.Spec!;
        reader?.Dispose();
        reader = await Abandonable(() => RasterReaders.Open(spec.InputPath, inputs), stop);
        // Every job measures them: models map values through them, and consistency figures are fractions of them. A
        // model that needs none still runs if they cannot be read (damaged pixels fail their own tiles, as before);
        // its output is then not measured.
        if (!new ValueRange(manifest.Black, manifest.White).IsValid)
        {
            var source = reader;
            try
            {
                var levels = await Abandonable(() => SceneLevels.Of(source), stop);
                (manifest.Black, manifest.White) = (levels.Black, levels.White);
                dirty = true;
            }
            catch (Exception e) when (!upscaler.NeedsValueRange && e is RasterFormatException or IOException or InvalidDataException)
            {
                logger.LogWarning("Job {JobId}: the scene's levels could not be read ({Error}); its output will not be measured", jobId, e.Message);
            }
        }
        if (manifest.Plan is { } planned)
        {
            // Resuming: find out what survived before sending anything.
            plan = plans.Get(planned);
            generationStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            context = new StitchContext(jobId, manifest.Generation, planned, manifest.Bands, manifest.Nodata);
            reconcileDue = true;
        }
        else
        {
            await PlanAsync(spec, reader.Info);
        }
        deadSilosSeen = cluster.DeadSilos;
        schedule.Reset(Enumerable.Range(0, plan!.Tiles.Count).Where(tile => !manifest.DoneTiles.Contains(tile)));
        HoldSuspects();
        prepared = true;
    }

    async Task PlanAsync(SceneJobSpec spec, RasterInfo info)
    {
        PlanParameters parameters;
        try
        {
            spec.CheckOutputSize(info.ScaledBy(spec.Scale));
            parameters = PlanParameters.For(info.Width, info.Height, spec.Scale, upscaler, spec.TilingFor(upscaler, info.Bands + spec.ExtraBands));
            plan = plans.Get(parameters);
            // Refuse up front what could not travel within the message cap, rather than fail tile after tile.
            TilePixels.EnsureFits(plan.Tiles.Select(t => t.LrWindow).MaxBy(w => w.Area), info.Bands, TileReading.FormatOf(info.SampleType), nameof(spec));
        }
        catch (ArgumentException e)
        {
            throw new RasterFormatException(spec.InputPath, e.Message, e);
        }
        var output = info.ScaledBy(spec.Scale).WithUncertaintyBand(spec.UncertaintyDraws);
        manifest.Plan = parameters;
        manifest.Bands = output.Bands;
        manifest.Nodata = info.FillValue;
        manifest.Output = $"{output.Width}x{output.Height}, {output.Bands} band(s) {output.SampleType}";
        manifest.OverlapOvercompute = plan.OverlapOvercompute;
        manifest.DoneTiles = new IndexSet(plan.Tiles.Count);
        manifest.WrittenBlocks = new IndexSet(plan.Blocks.Count);
        await StartGenerationAsync(1);
    }

    async Task StartGenerationAsync(int generation)
    {
        var spec = manifest.Spec!;
        generationStop = CancellationTokenSource.CreateLinkedTokenSource(runStop!.Token);
        context = new StitchContext(jobId, generation, manifest.Plan!, manifest.Bands, manifest.Nodata);
        manifest.Generation = generation;
        manifest.TemporaryPath = await cluster.OpenWriter(new WriterSetup(
            generation, spec.InputPath, spec.OutputPath, spec.Scale, manifest.Plan!, spec.Compression, spec.Format, spec.Model, spec.WeightsSha256,
            manifest.Black, manifest.White, spec.MaxInconsistency, spec.Consistency == ConsistencyMode.Enforce, spec.UncertaintyDraws));
        await CheckpointAsync(force: true);
    }

    /// <summary>The writer lost its file: everything written so far went with it, and the finished blocks exist
    /// nowhere else, so the whole scene is computed again into a new file with fresh stitchers.</summary>
    async Task RestartGenerationAsync()
    {
        logger.LogWarning("Job {JobId}: the writer of generation {Generation} was lost; starting the output again", jobId, manifest.Generation);
        generationStop?.Cancel();
        DiscardStitchers(OpenBlocks());
        // A writer is lost when a silo dies, and the tiles in flight may have died with their worker: their outcomes go
        // with the generation, so they are held as suspects until the cluster rules (HoldSuspects below), and a death
        // declared since their send counts against them. Sent again at once, a poison tile would kill another worker
        // before its first death was counted.
        foreach (var (tile, flight) in inFlight)
            suspects.TryAdd(tile, (flight.DeadSilos, DateTime.UtcNow + Retries.DeathVerdictPatience));
        inFlight.Clear();
        var lostFile = manifest.TemporaryPath;
        if (lostFile is not null)
            await Task.Run(() =>
            {
                File.Delete(lostFile);
                File.Delete(TemporaryNames.LaidOut(lostFile));
            });
        manifest.DoneTiles.Clear();
        manifest.WrittenBlocks.Clear();
        await StartGenerationAsync(manifest.Generation + 1);
        schedule.Reset(Enumerable.Range(0, plan!.Tiles.Count));
        HoldSuspects();
    }

    void Dispatch()
    {
        var limit = manifest.Spec!.MaxTilesInFlight > 0
            ? manifest.Spec.MaxTilesInFlight
            : WorkerCapacity.ForBands(cluster.WorkerSlots, manifest.Bands, plan!.TileSizeHr);
        var now = DateTime.UtcNow;
        // Tiles that were on a worker when it died go one at a time: a death then blames the one suspect that ran, not
        // an innocent tile that happened to share the poison tile's worker (which could otherwise be blamed 3 times).
        var suspectInFlight = inFlight.Keys.Any(IsCrashSuspect);
        while (inFlight.Count < limit && schedule.TryTake(now, out var tile, candidate => !(suspectInFlight && IsCrashSuspect(candidate))))
        {
            inFlight[tile] = new Flight(manifest.Generation, SendAsync(tile, context!, generationStop!.Token), cluster.DeadSilos);
            suspectInFlight |= IsCrashSuspect(tile);
        }
    }

    bool IsCrashSuspect(int tile) => manifest.WorkerCrashes.ContainsKey(tile);

    async Task<TileOutcome> SendAsync(int tile, StitchContext target, CancellationToken cancellation)
    {
        var source = reader!;
        var window = plan!.Tiles[tile].LrWindow;
        var (pixels, validity) = await Task.Run(() =>
        {
            using var timed = PipelineStages.Time(PipelineStage.Read);
            return TileReading.Read(source, window);
        }, cancellation);
        return await cluster.Contribute(new TileTask(target, tile, pixels, validity, manifest.Spec!.Model, manifest.Black, manifest.White, manifest.Spec.WeightsSha256,
            manifest.Spec.Consistency == ConsistencyMode.Enforce, manifest.Spec.UncertaintyDraws, manifest.Spec.Consistency != ConsistencyMode.Off), cancellation);
    }

    async Task CollectAsync()
    {
        foreach (var (tile, flight) in inFlight.Where(f => f.Value.Outcome.IsCompleted).ToList())
        {
            inFlight.Remove(tile);
            if (flight.Generation != manifest.Generation) continue;
            if (flight.Outcome.IsCompletedSuccessfully)
            {
                var outcome = flight.Outcome.Result;
                if (outcome.WriterLost)
                {
                    await RestartGenerationAsync();
                    return;
                }
                if (manifest.DoneTiles.Add(tile)) metrics.TileDone(Model);
                MarkWritten(outcome.WrittenBlocks);
                fruitlessReconciliations = 0;
                dirty = true;
                continue;
            }

            var error = flight.Outcome.Exception?.GetBaseException() ?? new TimeoutException($"tile {tile} was cancelled");
            var clusterFailure = RetryPolicy.IsTransient(error);
            var failures = schedule.Failed(tile, DateTime.UtcNow, Retries);
            manifest.TileFailures++;
            metrics.TileFailed(Model, clusterFailure);
            dirty = true;
            logger.LogWarning(error, "Job {JobId}: tile {Tile} failed (attempt {Attempt})", jobId, tile, failures);
            if (clusterFailure) reconcileDue = true;
            if (clusterFailure && cluster.DeadSilos > flight.DeadSilos) CountCrash(tile);
            else if (error is SiloUnavailableException or OrleansMessageRejectionException)
            {
                // Its worker's connection is gone, and the cluster has not ruled yet: hold the tile until it does.
                suspects[tile] = (flight.DeadSilos, DateTime.UtcNow + Retries.DeathVerdictPatience);
                schedule.Hold(tile, suspects[tile].Until);
            }
            // A worker with another model would refuse the tile on every attempt, and the others' output must not be
            // finished as if nothing were wrong: the cluster is misconfigured, which the job says at once.
            if (failures >= (clusterFailure ? Retries.ClusterAttempts : Retries.TileAttempts) || error is ModelMismatchException)
                throw new InvalidOperationException(TileFailure(tile, failures, error), error);
        }
    }

    /// <summary>A worker process died under the tile (a native crash, an OOM kill). A poison tile would take down every
    /// silo it reaches in turn, so it has a small budget of its own (<see cref="RetryPolicy.WorkerCrashes"/>), kept in
    /// the manifest.</summary>
    void CountCrash(int tile)
    {
        suspects.Remove(tile);
        AddCrash(tile);
    }

    void AddCrash(int tile)
    {
        var crashes = manifest.WorkerCrashes[tile] = manifest.WorkerCrashes.GetValueOrDefault(tile) + 1;
        dirty = true;
        if (crashes >= Retries.WorkerCrashes)
            throw new InvalidOperationException($"{manifest.Spec!.InputPath}: tile {tile} crashed its worker {crashes} times");
    }

    /// <summary>Held tiles whose worker the cluster has since declared dead: a crash each, then sent again at once;
    /// held past the patience: sent again, and a death declared within four patiences still counts as their crash.</summary>
    void JudgeSuspects()
    {
        var dead = cluster.DeadSilos;
        var now = DateTime.UtcNow;
        foreach (var (tile, (deadAtSend, until)) in suspects.ToList())
        {
            if (dead > deadAtSend)
            {
                CountCrash(tile);
                schedule.Release(tile);
            }
            else if (until <= now)
            {
                logger.LogWarning("Job {JobId}: no verdict on tile {Tile}'s worker within {Patience}; sending the tile again", jobId, tile, Retries.DeathVerdictPatience);
                suspects.Remove(tile);
                lateVerdicts.Add((tile, deadAtSend, now + 4 * Retries.DeathVerdictPatience));
            }
        }
        foreach (var late in lateVerdicts.ToList())
        {
            if (dead <= late.DeadSilos && late.GiveUp > now) continue;
            lateVerdicts.Remove(late);
            if (dead > late.DeadSilos) AddCrash(late.Tile);
        }
    }

    /// <summary>A new generation or a resumed plan schedules every tile again: the held ones stay held.</summary>
    void HoldSuspects()
    {
        foreach (var (tile, (_, until)) in suspects) schedule.Hold(tile, until);
    }

    /// <summary>The job's error after a tile's last attempt, as <c>&lt;file&gt;: &lt;problem&gt;</c>: the file the cause
    /// names (the input or the output), else the input.</summary>
    string TileFailure(int tile, int failures, Exception error)
    {
        var spec = manifest.Spec!;
        var attempts = $"tile {tile}, {failures} attempts";
        return new[] { spec.InputPath, spec.OutputPath }.Any(path => error.Message.StartsWith(path + ": ", StringComparison.Ordinal))
            ? $"{error.Message} ({attempts})"
            : $"{spec.InputPath}: {error.Message} ({attempts})";
    }

    /// <summary>Brings the manifest in line with what the writer and stitchers actually hold (see the class remarks and
    /// <see cref="Reconciler"/>).</summary>
    async Task ReconcileAsync(CancellationToken stop)
    {
        reconcileDue = false;
        try
        {
            var found = await reconciler.InspectAsync(manifest.Generation, plan!, manifest.DoneTiles, manifest.WrittenBlocks, inFlight.Keys);
            if (found.WriterLost)
            {
                await RestartGenerationAsync();
                return;
            }
            MarkWritten(found.Written);
            if (found.Report is not null)
            {
                // Committed before the previous activation could record it.
                await SucceedAsync(found.Report);
                return;
            }
            var recomputed = 0;
            foreach (var tile in found.Redo)
            {
                if (!manifest.DoneTiles.Remove(tile)) continue;
                schedule.Add(tile);
                manifest.TilesRecomputed++;
                recomputed++;
                fruitlessReconciliations = 0;
            }
            metrics.TilesRecomputed(Model, recomputed);
            dirty = true;
        }
        catch (Exception e) when (RetryPolicy.IsTransient(e))
        {
            // The lost silo is not declared dead yet, or its grains are still moving: look again shortly.
            logger.LogInformation(e, "Job {JobId}: reconciliation postponed", jobId);
            reconcileDue = true;
            await Task.Delay(PollInterval, stop);
        }
    }

    async Task CommitAsync()
    {
        var writer = await cluster.GetWriterProgress(manifest.Generation);
        if (!writer.Open)
        {
            await RestartGenerationAsync();
            return;
        }
        await SucceedAsync(writer.Report ?? await cluster.Commit(manifest.Generation));
    }

    async Task SucceedAsync(WriterReport report)
    {
        manifest.Writer = report;
        if (report.Consistency is { } figures) sceneMetrics.Measured(manifest.Spec!.Batch, figures);
        if (report.RejectedPath is { } rejected)
        {
            var spec = manifest.Spec!;
            await FailAsync(new RasterFormatException(spec.InputPath, FormattableString.Invariant(
                $"the output is inconsistent with its input ({report.Consistency!.Inconsistency:0.###} % of the range, over --max-inconsistency {spec.MaxInconsistency:0.###} %); kept as {rejected}, not written to {spec.OutputPath}; the map of where: {report.ConsistencyMap}")));
            return;
        }
        manifest.State = JobState.Succeeded;
        manifest.FinishedAt = DateTime.UtcNow;
        manifest.TemporaryPath = null;
        await CheckpointAsync(force: true);
        Finished("succeeded");
        logger.LogInformation("Job {JobId}: wrote {Output} in {Elapsed}", jobId, manifest.Spec!.OutputPath, manifest.FinishedAt - manifest.SubmittedAt);
    }

    async Task FailAsync(Exception error)
    {
        if (manifest.State != JobState.Running) return;
        logger.LogError(error, "Job {JobId} failed", jobId);
        manifest.State = JobState.Failed;
        manifest.Error = error.Message.ReplaceLineEndings(" ");
        manifest.FinishedAt = DateTime.UtcNow;
        await CheckpointAsync(force: true);
        Finished("failed");
    }

    void Finished(string outcome)
    {
        sceneMetrics.Finished(manifest.Spec?.Batch, outcome, manifest.FinishedAt!.Value - manifest.SubmittedAt);
        metrics.Finished(Model, outcome);
    }

    /// <summary>Recalls the tiles in flight; a finished job also gives back its writer, stitchers and keep-alive.</summary>
    async Task EndRunAsync()
    {
        generationStop?.Cancel();
        var open = manifest.State is JobState.Failed or JobState.Cancelled ? OpenBlocks() : [];
        // Cancelled calls return at once when their silo answers; one that died with its silo is not waited for.
        var recalled = Task.WhenAll(inFlight.Values.Select(f => f.Outcome.ContinueWith(_ => { }, TaskScheduler.Default)));
        await Task.WhenAny(recalled, Task.Delay(RecallPatience));
        inFlight.Clear();
        reader?.Dispose();
        reader = null;
        if (!manifest.State.IsFinal()) return;
        if (manifest.State != JobState.Succeeded)
        {
            // Writer first: a late tile that wakes a stitcher after its discard then learns the generation is gone
            // from the writer, instead of being told "not written" and waiting for tiles that never come.
            await IgnoreClusterFailure(cluster.AbortWriter);
            DiscardStitchers(open);
            manifest.TemporaryPath = null;
            await CheckpointAsync(force: true);
        }
        await cluster.ReleaseKeepAliveAsync();
    }

    void MarkWritten(IEnumerable<int> blocks)
    {
        var added = 0;
        foreach (var block in blocks)
            if (manifest.WrittenBlocks.Add(block)) added++;
        metrics.BlocksWritten(Model, added);
    }

    /// <summary>Blocks not known to be written that may hold contributions: those of tiles done or in flight.</summary>
    List<int> OpenBlocks() =>
        plan is null ? [] : Reconciler.OpenBlocks(plan, manifest.DoneTiles.Members().Concat(inFlight.Keys), manifest.WrittenBlocks.Members());

    void DiscardStitchers(IEnumerable<int> blocks)
    {
        var generation = manifest.Generation;
        foreach (var block in blocks)
            _ = IgnoreClusterFailure(() => cluster.DiscardStitcher(generation, block));
    }

    async Task CheckpointAsync(bool force)
    {
        if (!force && (!dirty || DateTime.UtcNow - lastCheckpoint < CheckpointInterval)) return;
        try
        {
            await cluster.SaveAsync();
            dirty = false;
            lastCheckpoint = DateTime.UtcNow;
        }
        catch (Exception e) when (!force)
        {
            // A missed checkpoint only means more tiles are re-sent after a crash; the next one may succeed.
            logger.LogWarning(e, "Job {JobId}: checkpoint failed", jobId);
        }
    }

    bool SilosDied()
    {
        var dead = cluster.DeadSilos;
        if (dead == deadSilosSeen) return false;
        deadSilosSeen = dead;
        return true;
    }

    internal static async Task IgnoreClusterFailure(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (RetryPolicy.IsTransient(e))
        {
            // Best effort: an unreachable grain's state went with its silo anyway.
        }
    }

    /// <param name="DeadSilos">Silos the cluster had declared dead when the tile was sent.</param>
    readonly record struct Flight(int Generation, Task<TileOutcome> Outcome, int DeadSilos);
}
