using System.Diagnostics;
using Pipeline.Client.Jobs;
using Pipeline.Client.Stac;
using Pipeline.Grains;
using Pipeline.Grains.Jobs;
using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Models.Weights;

namespace Pipeline.Client.Batch;

/// <summary>
/// Runs the scenes of a batch, <see cref="Concurrency"/> at a time, in listing order. A scene whose output is already
/// complete is skipped (so a batch run again after a crash resumes); otherwise its job is submitted under a stable id
/// (<see cref="BatchJobIds"/>), or, on a cluster, a job a dead client left running under that id is followed to its
/// end. A scene that fails is recorded and the others go on. The report is rewritten as scenes end (after every
/// scene for up to 100 scenes, at most every 10 s beyond) and at the end.
/// </summary>
sealed class BatchRunner(BatchBackend backend, Func<BatchScene, SceneJobSpec> specFor)
{
    /// <summary>Least time between two rewrites of the report of a large batch while it runs.</summary>
    static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    public int Concurrency { get; init; } = 2;
    public bool Quiet { get; init; }

    /// <summary>The STAC Collection the batch writes over its outputs' items (each output gets its item as it ends),
    /// or null for none.</summary>
    public string? Collection { get; init; }

    public async Task<BatchReport> RunAsync(IReadOnlyList<BatchScene> scenes, BatchRunInfo run, string reportPath, CancellationToken cancellation)
    {
        var progress = new BatchProgress(scenes.Count);
        progress.Started(run.Input, run.OutputFolder, Concurrency, backend.Description);
        var outcomes = new SceneOutcome?[scenes.Count];
        var reportGate = new Lock();
        var lastWrite = Stopwatch.StartNew();
        var next = -1;

        async Task WorkAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < scenes.Count && !cancellation.IsCancellationRequested; i = Interlocked.Increment(ref next))
            {
                var outcome = await RunSceneAsync(scenes[i], $"[{i + 1}/{scenes.Count}] {scenes[i].Name} ×{scenes[i].Scale}", cancellation);
                lock (reportGate)
                {
                    outcomes[i] = outcome;
                    progress.Ended(scenes[i], outcome);
                    // Often enough that a run that dies leaves its finished scenes on record, seldom enough that
                    // a report of thousands of scenes is not rewritten for each.
                    if (lastWrite.Elapsed >= ReportInterval || scenes.Count <= 100)
                    {
                        BatchReport.Of(run, scenes.Count, outcomes.OfType<SceneOutcome>(), null).Write(reportPath);
                        lastWrite.Restart();
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(Concurrency, scenes.Count)).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        var all = scenes.Select((scene, i) => outcomes[i] ?? SceneOutcome.Failure(scene, "not started: the batch was interrupted", 0));
        var report = BatchReport.Of(run, scenes.Count, all, DateTime.UtcNow);
        var items = report.Scenes.Where(s => s.Status != SceneOutcome.Failed).Select(s => OutputItem.PathFor(s.Output)).Where(File.Exists).ToList();
        if (Collection is not null && items.Count > 0) StacCollection.Write(Collection, items);
        report.Write(reportPath);
        return report;
    }

    async Task<SceneOutcome> RunSceneAsync(BatchScene scene, string label, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var spec = specFor(scene);
            spec.Validate();
            var expected = await Task.Run(() => ReadHeader(scene.Input).ScaledBy(scene.Scale), cancellation);
            if (SceneOutputs.IsComplete(scene.Output, expected))
            {
                if (Collection is not null && !File.Exists(OutputItem.PathFor(scene.Output))) WriteItem(scene, spec);
                return SceneOutcome.Finished(scene, SceneOutcome.Skipped, clock.Elapsed.TotalSeconds, null);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(scene.Output)!);
            var status = await RunJobAsync(backend.Grains, spec, expected, label, cancellation);
            var consistency = ConsistencyEntry.Of(status.Writer);
            if (status.State == JobState.Succeeded && Collection is not null) WriteItem(scene, spec, await WriterThumbnail.FetchAsync(backend.Grains, status));
            return status.State == JobState.Succeeded
                ? SceneOutcome.Finished(scene, SceneOutcome.Done, clock.Elapsed.TotalSeconds, status.TilesTotal, status.WeightsSha256, consistency)
                : SceneOutcome.Failure(scene, status.Error ?? $"the job ended {status.State.ToString().ToLowerInvariant()}", clock.Elapsed.TotalSeconds, consistency);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            var where = backend.Embedded ? "" : " (its job goes on on the cluster; running the batch again follows it)";
            return SceneOutcome.Failure(scene, $"interrupted before the scene finished{where}", clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (IsSceneFailure(e))
        {
            return SceneOutcome.Failure(scene, e.Message, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>Submits the scene's job, or follows the one already running under its id; moves to the next attempt's
    /// id while the job under the current one ended without leaving a complete output.</summary>
    async Task<SceneJobStatus> RunJobAsync(IGrainFactory grains, SceneJobSpec spec, RasterInfo expected, string label, CancellationToken cancellation)
    {
        var retries = spec.RetriesOrDefault;
        for (var attempt = 1; attempt <= retries.SceneAttempts; attempt++)
        {
            var job = grains.Job(BatchJobIds.For(spec, attempt));
            var status = backend.Embedded ? null : await PatientlyAsync(job.GetStatus, retries, cancellation);
            if (status is null || status.State == JobState.Unknown)
            {
                // No job writes this output now: whatever partial file is there, a dead run left.
                SceneOutputs.DeleteLeftovers(spec.OutputPath);
                await PatientlyAsync(() => job.Submit(spec), retries, cancellation);
            }
            else if (status.State.IsFinal())
            {
                if (status.State == JobState.Succeeded && SceneOutputs.IsComplete(spec.OutputPath, expected)) return status;
                continue;
            }
            return await JobFollower.FollowAsync(job, label, Quiet, cancellation, lineByLine: true, retries);
        }
        throw new InvalidOperationException($"{spec.InputPath}: {retries.SceneAttempts} earlier jobs of this scene ended without a complete output");
    }

    /// <summary>Retries a call while the cluster is losing or moving a silo (Submit is idempotent for one spec).</summary>
    static async Task<T> PatientlyAsync<T>(Func<Task<T>> call, RetryPolicy retries, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + retries.ClusterPatience;
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e, cancellation) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(retries.Backoff(failures), cancellation);
            }
        }
    }

    void WriteItem(BatchScene scene, SceneJobSpec spec, byte[]? thumbnail = null)
    {
        try
        {
            OutputItem.Write(scene.Output, scene.Input, scene.Scale, spec.Format == OutputKind.Cog, Collection, thumbnail);
        }
        catch (RasterFormatException e)
        {
            throw new InvalidOperationException($"{scene.Output}: written, but its STAC item could not be: {e.Message}", e);
        }
    }

    static RasterInfo ReadHeader(string input)
    {
        using var reader = RasterReaders.Open(input);
        return reader.Info;
    }

    /// <summary>What ends one scene and not the batch: its file, its options, its job, the cluster's answer for it.</summary>
    static bool IsSceneFailure(Exception e) =>
        e is RasterFormatException or ModelWeightsException or InvalidDataException or IOException or UnauthorizedAccessException
            or ArgumentException or InvalidOperationException or OrleansException or TimeoutException;
}
