using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Grains.Workers;
using Pipeline.Grains.Telemetry;
using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

public sealed class TileInferenceServiceTests : IDisposable
{
    readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    readonly MeterListener listener = new();
    readonly Dictionary<string, double> totals = [];
    readonly List<(string Instrument, double Value, string? Model)> measurements = [];

    public TileInferenceServiceTests()
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        // Only this test's meter: clusters in other tests publish instruments of the same name.
        listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TileMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                listener.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    [Fact]
    public async Task A_tile_is_upscaled_by_the_model_and_counted()
    {
        var service = Service(new BicubicUpscaler(), maxConcurrency: 1);
        var lr = TestTiles.Lr(new PixelWindow(0, 0, 8, 6), 2, seed: 3);
        var hrWindow = TestTiles.HrWindowOf(lr.Window, 3);

        var inferred = await service.UpscaleAsync(lr, 3, hrWindow, CancellationToken.None);

        Assert.Equal(new BicubicUpscaler().Upscale(lr, 3, hrWindow).Data, inferred.Hr.Data);
        Assert.Equal(1, Total("pipeline.tiles.processed"));
        Assert.Equal(0, Total("pipeline.tiles.in_flight"));
        Assert.Equal(0, Total("pipeline.tiles.queued"));
        var duration = Assert.Single(measurements, m => m.Instrument == "pipeline.tiles.model.duration");
        Assert.Equal("bicubic", duration.Model);
        Assert.Equal(inferred.ModelTime.TotalMilliseconds, duration.Value);
    }

    [Fact]
    public async Task A_failing_model_call_is_counted_and_frees_its_slot()
    {
        var service = Service(new FailingUpscaler(), maxConcurrency: 1);
        var lr = new RasterBlock(new PixelWindow(0, 0, 2, 2), 1);

        for (var attempt = 0; attempt < 2; attempt++)
            await Assert.ThrowsAsync<InvalidOperationException>(() => service.UpscaleAsync(lr, 2, new PixelWindow(0, 0, 4, 4), CancellationToken.None));

        Assert.Equal(2, Total("pipeline.tiles.failed"));
        Assert.Equal(0, Total("pipeline.tiles.in_flight"));
    }

    [Fact]
    public async Task A_tile_waits_in_the_queue_while_the_slots_are_taken_and_can_be_cancelled_there()
    {
        var gate = new GatedUpscaler();
        var service = Service(gate, maxConcurrency: 1);
        var lr = new RasterBlock(new PixelWindow(0, 0, 2, 2), 1);
        var hr = new PixelWindow(0, 0, 4, 4);

        var first = service.UpscaleAsync(lr, 2, hr, CancellationToken.None);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var cancel = new CancellationTokenSource();
        var second = service.UpscaleAsync(lr, 2, hr, cancel.Token);

        Assert.Equal(1, Total("pipeline.tiles.queued"));
        Assert.Equal(1, Total("pipeline.tiles.in_flight"));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.Equal(0, Total("pipeline.tiles.queued"));

        gate.Release.SetResult();
        await first;
        Assert.Equal(1, Total("pipeline.tiles.processed"));
    }

    [Fact]
    public async Task Disposing_the_service_fails_the_queued_tiles_instead_of_leaving_them_waiting()
    {
        // A silo that stops (or is killed) disposes the service; a queued tile that never returned kept its grain
        // activation, and so the silo's shutdown, waiting forever.
        var gate = new GatedUpscaler();
        var service = Service(gate, maxConcurrency: 1);
        var lr = new RasterBlock(new PixelWindow(0, 0, 2, 2), 1);
        var hr = new PixelWindow(0, 0, 4, 4);
        var running = service.UpscaleAsync(lr, 2, hr, CancellationToken.None);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = service.UpscaleAsync(lr, 2, hr, CancellationToken.None);

        service.Dispose();

        await Assert.ThrowsAsync<OrleansException>(() => queued.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<OrleansException>(() => service.UpscaleAsync(lr, 2, hr, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        gate.Release.SetResult();
        await running;
        Assert.Equal(0, Total("pipeline.tiles.queued"));
        Assert.Equal(0, Total("pipeline.tiles.in_flight"));
    }

    TileInferenceService Service(ITileUpscaler upscaler, int maxConcurrency) =>
        new(upscaler, Options.Create(new TileInferenceOptions { MaxConcurrency = maxConcurrency }), new TileMetrics(services.GetRequiredService<IMeterFactory>()));

    void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? model = null;
        foreach (var tag in tags) if (tag.Key == "model") model = tag.Value as string;
        lock (measurements)
        {
            measurements.Add((instrument.Name, value, model));
            totals[instrument.Name] = totals.GetValueOrDefault(instrument.Name) + value;
        }
    }

    double Total(string instrument)
    {
        lock (measurements) return totals.GetValueOrDefault(instrument);
    }

    public void Dispose()
    {
        listener.Dispose();
        services.Dispose();
    }

    sealed class FailingUpscaler : ITileUpscaler
    {
        public string Name => "failing";
        public int EdgeMargin => 0;
        public int HrAlignment => 1;
        public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow) => throw new InvalidOperationException("model failed");
    }

    /// <summary>Holds its one call until released, so a test can look at the queue meanwhile.</summary>
    sealed class GatedUpscaler : ITileUpscaler
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Name => "gated";
        public int EdgeMargin => 0;
        public int HrAlignment => 1;

        public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow)
        {
            Entered.SetResult();
            Release.Task.Wait();
            return new RasterBlock(hrWindow, lrTile.Bands);
        }
    }
}
