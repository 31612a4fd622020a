using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

/// <summary>
/// The real bicubic upscaler, held for a few milliseconds per tile so calls overlap, counting how many
/// run at once on its silo (each silo has its own instance).
/// </summary>
public sealed class ConcurrencyProbeUpscaler : ITileUpscaler
{
    static readonly TimeSpan HoldTime = TimeSpan.FromMilliseconds(40);
    readonly BicubicUpscaler bicubic = new();
    int running;
    int maxRunning;
    int calls;

    public string Name => bicubic.Name;
    public int EdgeMargin => bicubic.EdgeMargin;
    public int HrAlignment => bicubic.HrAlignment;

    public int MaxConcurrent => Volatile.Read(ref maxRunning);
    public int Calls => Volatile.Read(ref calls);

    public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow)
    {
        Interlocked.Increment(ref calls);
        var concurrent = Interlocked.Increment(ref running);
        for (var max = Volatile.Read(ref maxRunning); concurrent > max; max = Volatile.Read(ref maxRunning))
            if (Interlocked.CompareExchange(ref maxRunning, concurrent, max) == max) break;
        try
        {
            Thread.Sleep(HoldTime);
            return bicubic.Upscale(lrTile, scale, hrWindow);
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }

    public void Reset()
    {
        Volatile.Write(ref maxRunning, 0);
        Volatile.Write(ref calls, 0);
    }
}
