using Pipeline.Imaging;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Pipeline.Grains.Telemetry;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Workers;

/// <summary>
/// The silo's one shared model. Loading a model is expensive and a GPU holds only so many, so every
/// tile-worker activation on the silo goes through this singleton, which admits at most
/// <see cref="MaxConcurrency"/> calls at a time and queues the rest. Disposing it (the silo stopping, or killed)
/// fails the calls still queued with an <see cref="OrleansException"/> rather than leave them waiting forever:
/// a request that never ends keeps its activation, and with it the silo's shutdown, from ever completing.
/// </summary>
public sealed class TileInferenceService : IDisposable
{
    readonly ITileUpscaler upscaler;
    readonly TileMetrics metrics;
    readonly SemaphoreSlim slots;
    readonly CancellationTokenSource disposed = new();
    readonly ModelThreads threads;

    public TileInferenceService(ITileUpscaler upscaler, IOptions<TileInferenceOptions> options, TileMetrics metrics)
    {
        this.upscaler = upscaler;
        this.metrics = metrics;
        MaxConcurrency = options.Value.EffectiveConcurrency(Environment.ProcessorCount);
        slots = new SemaphoreSlim(MaxConcurrency, MaxConcurrency);
        threads = new ModelThreads(MaxConcurrency);
    }

    public int MaxConcurrency { get; }

    public string ModelName => upscaler.Name;

    public string? WeightsSha256 => upscaler.WeightsSha256;

    /// <param name="levels">The scene's black and white levels (a job's tiles); null: the model's own defaults.</param>
    /// <param name="draw">The noise draw (0: the model's own; see <see cref="ITileUpscaler.Stochastic"/>).</param>
    public async Task<TileInference> UpscaleAsync(RasterBlock lrTile, double scale, PixelWindow hrWindow, CancellationToken cancellationToken,
        ValueRange? levels = null, int draw = 0)
    {
        metrics.Enqueued();
        try
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposed.Token);
            await slots.WaitAsync(waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // An error of the cluster (this silo is going away), which a job retries elsewhere, not of the tile.
            throw new OrleansException("the inference service of this silo stopped while the tile waited for a slot");
        }
        finally
        {
            metrics.Dequeued();
        }

        metrics.Started();
        try
        {
            // The model call is long and CPU- (or GPU-driver-) bound: run it on the service's own threads so the
            // calling grain's turn, and the Orleans scheduler, are not held for its duration.
            var stopwatch = Stopwatch.StartNew();
            var hr = await threads.Run(() =>
            {
                using var timed = PipelineStages.Time(PipelineStage.Model);
                return levels is { } range
                    ? draw == 0 ? upscaler.Upscale(lrTile, scale, hrWindow, range) : upscaler.Upscale(lrTile, scale, hrWindow, range, draw)
                    : upscaler.Upscale(lrTile, scale, hrWindow);
            }, cancellationToken).ConfigureAwait(false);
            var elapsed = stopwatch.Elapsed;
            metrics.Succeeded(upscaler.Name, elapsed.TotalMilliseconds);
            return new TileInference(hr, elapsed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up before the model started: nothing failed.
            metrics.Abandoned();
            throw;
        }
        catch
        {
            metrics.Failed(upscaler.Name);
            throw;
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Wakes the queued calls (they fail). The semaphore itself is left undisposed: calls inside the model
    /// still release their slot when they return.</summary>
    public void Dispose()
    {
        disposed.Cancel();
        threads.Dispose();
    }
}
