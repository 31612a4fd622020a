using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

/// <summary>
/// Lets a test stop a job in the middle: after the tiles <see cref="PauseAfter"/> lets through, model calls block until
/// <see cref="Open"/>. Shared by every silo of a test cluster (one process), so "tiles" counts cluster-wide.
/// </summary>
sealed class TileGate
{
    readonly ManualResetEventSlim open = new(true);
    int allowance = int.MaxValue;
    int started;
    int blocked;
    int delayMilliseconds;

    public int Blocked => Volatile.Read(ref blocked);

    /// <summary>Lets <paramref name="tiles"/> more tiles through, then blocks the rest.</summary>
    public void PauseAfter(int tiles)
    {
        Volatile.Write(ref allowance, Volatile.Read(ref started) + tiles);
        open.Reset();
    }

    public void Open() => open.Set();

    /// <summary>Every tile from now on takes at least this long: a job long enough to be hit mid-way, without
    /// parking threads (a silo cannot be killed while one of its threads is parked in the gate).</summary>
    public void SlowDown(TimeSpan perTile) => Volatile.Write(ref delayMilliseconds, (int)perTile.TotalMilliseconds);

    public void Pass()
    {
        if (Volatile.Read(ref delayMilliseconds) is > 0 and var delay) Thread.Sleep(delay);
        if (Interlocked.Increment(ref started) <= Volatile.Read(ref allowance)) return;
        Interlocked.Increment(ref blocked);
        open.Wait();
        Interlocked.Decrement(ref blocked);
    }
}

/// <summary>Bicubic behind a <see cref="TileGate"/>: identical output, controllable timing.</summary>
sealed class GatedBicubicUpscaler(TileGate gate) : ITileUpscaler
{
    readonly BicubicUpscaler bicubic = new();

    public string Name => bicubic.Name;
    public int EdgeMargin => bicubic.EdgeMargin;
    public int HrAlignment => bicubic.HrAlignment;
    public bool ExactCrops => bicubic.ExactCrops;

    public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow)
    {
        gate.Pass();
        return bicubic.Upscale(lrTile, scale, hrWindow);
    }
}
