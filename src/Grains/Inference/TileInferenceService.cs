using System.Diagnostics;
using Microsoft.Extensions.Options;
using Pipeline.Grains.Telemetry;
using Pipeline.Imaging;

namespace Pipeline.Grains.Inference;

/// <summary>
/// The silo's one shared model. Loading a model is expensive and a GPU holds only so many, so every
/// tile-worker activation on the silo goes through this singleton, which admits at most
/// <see cref="MaxConcurrency"/> calls at a time and queues the rest.
/// </summary>
public sealed class TileInferenceService : IDisposable
{
    readonly ITileUpscaler _upscaler;
    readonly TileMetrics _metrics;
    readonly SemaphoreSlim _slots;

    public TileInferenceService(ITileUpscaler upscaler, IOptions<TileInferenceOptions> options, TileMetrics metrics)
    {
        _upscaler = upscaler;
        _metrics = metrics;
        MaxConcurrency = options.Value.EffectiveConcurrency(Environment.ProcessorCount);
        _slots = new SemaphoreSlim(MaxConcurrency, MaxConcurrency);
    }

    public int MaxConcurrency { get; }

    public string ModelName => _upscaler.Name;

    public async Task<TileInference> UpscaleAsync(RasterBlock lrTile, double scale, PixelWindow hrWindow, CancellationToken cancellationToken)
    {
        _metrics.Enqueued();
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _metrics.Dequeued();
        }

        _metrics.Started();
        try
        {
            // The model call is long and CPU- (or GPU-driver-) bound: run it on the thread pool so the
            // calling grain's turn, and the Orleans scheduler, are not held for its duration.
            var stopwatch = Stopwatch.StartNew();
            var hr = await Task.Run(() => _upscaler.Upscale(lrTile, scale, hrWindow), cancellationToken).ConfigureAwait(false);
            var elapsed = stopwatch.Elapsed;
            _metrics.Succeeded(_upscaler.Name, elapsed.TotalMilliseconds);
            return new TileInference(hr, elapsed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up before the model started: nothing failed.
            _metrics.Abandoned();
            throw;
        }
        catch
        {
            _metrics.Failed(_upscaler.Name);
            throw;
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
