using Pipeline.Imaging;

namespace Pipeline.Grains.Tests;

/// <summary>
/// The real bicubic upscaler, held for a few milliseconds per tile so calls overlap, counting how many
/// run at once on its silo (each silo has its own instance).
/// </summary>
public sealed class ConcurrencyProbeUpscaler : ITileUpscaler
{
    static readonly TimeSpan HoldTime = TimeSpan.FromMilliseconds(40);
    readonly BicubicUpscaler _bicubic = new();
    int _running;
    int _maxRunning;
    int _calls;

    public string Name => _bicubic.Name;
    public int EdgeMargin => _bicubic.EdgeMargin;
    public int HrAlignment => _bicubic.HrAlignment;

    public int MaxConcurrent => Volatile.Read(ref _maxRunning);
    public int Calls => Volatile.Read(ref _calls);

    public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow)
    {
        Interlocked.Increment(ref _calls);
        var running = Interlocked.Increment(ref _running);
        for (var max = Volatile.Read(ref _maxRunning); running > max; max = Volatile.Read(ref _maxRunning))
            if (Interlocked.CompareExchange(ref _maxRunning, running, max) == max) break;
        try
        {
            Thread.Sleep(HoldTime);
            return _bicubic.Upscale(lrTile, scale, hrWindow);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public void Reset()
    {
        Volatile.Write(ref _maxRunning, 0);
        Volatile.Write(ref _calls, 0);
    }
}
