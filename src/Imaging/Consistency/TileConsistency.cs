using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// Measures one tile's output against its own input over the LR pixels the tile owns (<see cref="TileOwnership"/>):
/// the output is degraded back to the LR grid (<see cref="AntialiasedBicubic"/>) and compared pixel by pixel, band by
/// band; the same pixels feed the spectral angle, the map cells and the phase correlation, and the HR pixels over them
/// the detail measure. A pixel is measured only if every band of it is finite and the LR pixels its degradation reads
/// (within 2 px) are all valid, so nodata and NaN never count.
/// </summary>
public static class TileConsistency
{
    /// <summary>LR pixels each side of a pixel that its degradation's support reaches.</summary>
    const int Reach = 2;

    /// <summary>Whether detail is measured at HR pixel (x, y): one pixel in 16, by a hash of the scene coordinates, so
    /// every tiling samples the same pixels.</summary>
    static bool Sampled(int x, int y)
    {
        var h = unchecked((ulong)(uint)x * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)y * 0xC2B2AE3D27D4EB4FUL);
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 32;
        return (h & 15) == 0;
    }

    /// <param name="lr">The tile's input (its LR window).</param>
    /// <param name="validity">Validity of <paramref name="lr"/>'s pixels (0 = nodata), or null when all are valid.</param>
    /// <param name="output">The tile's output (its HR window).</param>
    /// <param name="owned">The LR pixels to measure, inside <paramref name="lr"/>'s window.</param>
    /// <param name="scale">The job's exact scale.</param>
    /// <param name="levels">Black and white of the scene: relative figures are fractions of their distance.</param>
    /// <param name="cellSize">LR pixels per map cell side.</param>
    public static ConsistencySums Measure(RasterBlock lr, byte[]? validity, RasterBlock output, PixelWindow owned,
        RationalScale scale, ValueRange levels, int cellSize)
    {
        if (!lr.Window.Contains(owned) && !owned.IsEmpty) throw new ArgumentException($"owned pixels {owned} lie outside the tile's input {lr.Window}", nameof(owned));
        if (lr.Bands != output.Bands) throw new ArgumentException($"input has {lr.Bands} bands, output {output.Bands}", nameof(output));
        var cells = owned.IsEmpty ? default : CellsOf(owned, cellSize);
        var sums = new ConsistencySums(lr.Bands, cells);
        // No levels (a tile sent without them): nothing to measure relative figures against.
        if (owned.IsEmpty || !levels.IsValid) return sums;

        var range = levels.White - levels.Black;
        var (width, height, bands) = (owned.Width, owned.Height, lr.Bands);
        var pixels = width * height;
        // One pooled scratch for the degraded output and the two relative images: LR-sized doubles of every tile were
        // a tenth of a bicubic job's garbage.
        var scratch = ArrayPool<double>.Shared.Rent((bands + 2) * pixels);
        try
        {
            var degraded = scratch.AsSpan(0, bands * pixels);
            AntialiasedBicubic.Degrade(output, owned, scale.Value, degraded);
            Measure(lr, validity, output, owned, scale, levels, cellSize, range, degraded,
                scratch.AsSpan(bands * pixels, pixels), scratch.AsSpan((bands + 1) * pixels, pixels), cells, sums);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
        return sums;
    }

    static void Measure(RasterBlock lr, byte[]? validity, RasterBlock output, PixelWindow owned, RationalScale scale, ValueRange levels,
        int cellSize, double range, ReadOnlySpan<double> degraded, Span<double> relativeOutput, Span<double> relativeInput, PixelWindow cells,
        ConsistencySums sums)
    {
        var measured = Measurable(lr, validity, degraded, owned);
        var (width, height, bands) = (owned.Width, owned.Height, lr.Bands);
        var pixels = width * height;
        var vectorOutput = new double[bands];
        var vectorInput = new double[bands];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var i = y * width + x;
                if (!measured[i]) continue;
                double pixelError = 0, meanOutput = 0, meanInput = 0;
                for (var b = 0; b < bands; b++)
                {
                    double input = lr[b, owned.X - lr.Window.X + x, owned.Y - lr.Window.Y + y];
                    var value = degraded[b * pixels + i];
                    var d = value - input;
                    sums.SignedError[b] += d;
                    sums.AbsoluteError[b] += Math.Abs(d);
                    sums.SquaredError[b] += d * d;
                    pixelError += Math.Abs(d);
                    meanOutput += value;
                    meanInput += input;
                    (vectorOutput[b], vectorInput[b]) = (value, input);
                }
                sums.Pixels++;
                relativeOutput[i] = (meanOutput / bands - levels.Black) / range;
                relativeInput[i] = (meanInput / bands - levels.Black) / range;
                var cell = ((owned.Y + y) / cellSize - cells.Y) * cells.Width + (owned.X + x) / cellSize - cells.X;
                sums.CellError[cell] += 100 * pixelError / bands / range;
                sums.CellPixels[cell]++;
                if (bands > 1 && SpectralAngle(vectorOutput, vectorInput) is { } angle)
                {
                    sums.AngleSum += angle;
                    sums.AnglePixels++;
                }
            }
        CorrelateWindows(owned, measured, relativeOutput, relativeInput, sums);
        var measuredMask = MemoryMarshal.Cast<bool, byte>(measured.AsSpan());
        var lrWindow = lr.Window;
        // In the input's own coordinates: counted where measured, usable where valid.
        var counted = new PixelMask(PixelMask.Offsets(lrWindow.X, lr.Width, owned.X, width), PixelMask.Offsets(lrWindow.Y, lr.Height, owned.Y, owned.Height), measuredMask, width);
        var valid = new PixelMask(PixelMask.Offsets(lrWindow.X, lr.Width, lrWindow.X, lr.Width), PixelMask.Offsets(lrWindow.Y, lr.Height, lrWindow.Y, lr.Height), validity, lr.Width);
        (sums.GrainInput, sums.GrainInputBlocks) = Grain(lr, owned, counted, valid, range);
        MeasureDetail(lr, output, owned, measuredMask, validity, scale, range, sums);
    }

    /// <summary>The map cells (cell coordinates) that <paramref name="owned"/> touches.</summary>
    public static PixelWindow CellsOf(PixelWindow owned, int cellSize)
    {
        var (x0, y0) = (owned.X / cellSize, owned.Y / cellSize);
        return new PixelWindow(x0, y0, (owned.Right + cellSize - 1) / cellSize - x0, (owned.Bottom + cellSize - 1) / cellSize - y0);
    }

    static bool[] Measurable(RasterBlock lr, byte[]? validity, ReadOnlySpan<double> degraded, PixelWindow owned)
    {
        var pixels = owned.Width * owned.Height;
        var measured = new bool[owned.Width * owned.Height];
        for (var y = 0; y < owned.Height; y++)
            for (var x = 0; x < owned.Width; x++)
            {
                var (tx, ty) = (owned.X - lr.Window.X + x, owned.Y - lr.Window.Y + y);
                var ok = validity is null || NeighbourhoodValid(validity, lr.Width, lr.Height, tx, ty);
                for (var b = 0; ok && b < lr.Bands; b++)
                    ok = float.IsFinite(lr[b, tx, ty]) && double.IsFinite(degraded[b * pixels + y * owned.Width + x]);
                measured[y * owned.Width + x] = ok;
            }
        return measured;
    }

    static bool NeighbourhoodValid(byte[] validity, int width, int height, int x, int y)
    {
        for (var v = Math.Max(0, y - Reach); v <= Math.Min(height - 1, y + Reach); v++)
            for (var u = Math.Max(0, x - Reach); u <= Math.Min(width - 1, x + Reach); u++)
                if (validity[v * width + u] == 0) return false;
        return true;
    }

    static double? SpectralAngle(double[] a, double[] b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        if (aa <= 0 || bb <= 0) return null;
        return Math.Acos(Math.Clamp(dot / Math.Sqrt(aa * bb), -1, 1)) * 180 / Math.PI;
    }

    /// <summary>Phase correlation over the 16×16 windows of the scene-wide grid that lie wholly in measured pixels.</summary>
    static void CorrelateWindows(PixelWindow owned, bool[] measured, ReadOnlySpan<double> output, ReadOnlySpan<double> input, ConsistencySums sums)
    {
        const int n = PhaseCorrelation.Size;
        var a = new double[n * n];
        var b = new double[n * n];
        for (var wy = (owned.Y + n - 1) / n * n; wy + n <= owned.Bottom; wy += n)
            for (var wx = (owned.X + n - 1) / n * n; wx + n <= owned.Right; wx += n)
            {
                var complete = true;
                for (var y = 0; y < n && complete; y++)
                    for (var x = 0; x < n && complete; x++)
                    {
                        var i = (wy - owned.Y + y) * owned.Width + wx - owned.X + x;
                        complete = measured[i];
                        (a[y * n + x], b[y * n + x]) = (output[i], input[i]);
                    }
                if (!complete) continue;
                PhaseCorrelation.Accumulate(a, b, sums.CrossPower);
                sums.CrossWindows++;
            }
    }

    /// <summary>Σ |4-neighbour Laplacian| (relative units, mean over bands) of the output and of bicubic of the input,
    /// over the HR pixels whose LR pixel is measured and whose neighbours lie in the tile's output.</summary>
    static void MeasureDetail(RasterBlock lr, RasterBlock output, PixelWindow owned, ReadOnlySpan<byte> measured, byte[]? validity,
        RationalScale scale, double range, ConsistencySums sums)
    {
        var hr = output.Window;
        var (x0, x1) = (FirstHrOf(owned.X, scale), FirstHrOf(owned.Right, scale));
        var (y0, y1) = (FirstHrOf(owned.Y, scale), FirstHrOf(owned.Bottom, scale));
        // Each HR column and row of the output mapped once to its LR column and row: in the owned pixels (measured) and
        // in the input (valid), looked up for each of the output's pixels below.
        int LrOf(int hrPixel) => (int)scale.LrPixelContaining(hrPixel);
        var measuredPixel = new PixelMask(PixelMask.Offsets(hr.X, hr.Width, LrOf, owned.X, owned.Width),
            PixelMask.Offsets(hr.Y, hr.Height, LrOf, owned.Y, owned.Height), measured, owned.Width);
        var validPixel = new PixelMask(PixelMask.Offsets(hr.X, hr.Width, LrOf, lr.Window.X, lr.Width),
            PixelMask.Offsets(hr.Y, hr.Height, LrOf, lr.Window.Y, lr.Height), validity, lr.Width);
        // At one HR pixel in 16, picked by a hash of its scene coordinates (a regular grid would lock onto the LR grid's
        // phase at integer scales): the ratio needs no more, and bicubic at a few points costs far less than a whole
        // bicubic image, which for a cheap model would cost as much as the model.
        var bicubic = new BicubicLaplacian(lr, scale.Value, hr);
        double outputSum = 0, bicubicSum = 0;
        for (var y = Math.Max(y0, hr.Y + 1); y < Math.Min(y1, hr.Bottom - 1); y++)
            for (var x = Math.Max(x0, hr.X + 1); x < Math.Min(x1, hr.Right - 1); x++)
            {
                if (!Sampled(x, y) || !measuredPixel[x - hr.X, y - hr.Y]) continue;
                for (var b = 0; b < output.Bands; b++) outputSum += Math.Abs(Laplacian(output, b, x - hr.X, y - hr.Y));
                bicubicSum += bicubic.At(x, y);
            }
        sums.DetailOutput += outputSum / output.Bands / range;
        sums.DetailBicubic += bicubicSum / output.Bands / range;
        (sums.GrainOutput, sums.GrainOutputBlocks) = Grain(output, new PixelWindow(x0, y0, x1 - x0, y1 - y0), measuredPixel, validPixel, range);
    }

    /// <summary>Σ |diagonal Haar detail| (relative, mean over bands) of the 2×2 blocks on the scene-wide even grid whose
    /// top-left pixel lies in <paramref name="region"/> (scene coordinates) and is <paramref name="counted"/>, and whose
    /// other three pixels are in <paramref name="block"/> and <paramref name="usable"/>; and the number of blocks. Owned
    /// by the top-left pixel, every block of a scene is counted by one tile, whatever the tiling. Both masks are in the
    /// block's coordinates.</summary>
    static (double Sum, long Blocks) Grain(RasterBlock block, PixelWindow region, PixelMask counted, PixelMask usable, double range)
    {
        double sum = 0;
        long blocks = 0;
        var window = block.Window;
        for (var y = (Math.Max(region.Y, window.Y) + 1) & ~1; y < region.Bottom && y + 1 < window.Bottom; y += 2)
            for (var x = (Math.Max(region.X, window.X) + 1) & ~1; x < region.Right && x + 1 < window.Right; x += 2)
            {
                var (bx, by) = (x - window.X, y - window.Y);
                if (!(counted[bx, by] && usable[bx + 1, by] && usable[bx, by + 1] && usable[bx + 1, by + 1])) continue;
                double detail = 0;
                for (var b = 0; b < block.Bands; b++)
                    detail += Math.Abs(block[b, bx, by] - block[b, bx + 1, by] - block[b, bx, by + 1] + block[b, bx + 1, by + 1]) / 2;
                if (!double.IsFinite(detail)) continue;
                sum += detail / block.Bands / range;
                blocks++;
            }
        return (sum, blocks);
    }

    /// <summary>The first HR pixel whose centre lies in LR pixel <paramref name="lr"/> or after it (the pixels of an LR
    /// pixel are those whose centres it contains, <see cref="RationalScale.LrPixelContaining"/>).</summary>
    static int FirstHrOf(int lr, RationalScale scale)
    {
        var hr = Math.Max(0, scale.HrFloor(lr) - 1);
        while (scale.LrPixelContaining(hr) < lr) hr++;
        return (int)hr;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Laplacian(RasterBlock block, int band, int x, int y) =>
        4.0 * block[band, x, y] - block[band, x - 1, y] - block[band, x + 1, y] - block[band, x, y - 1] - block[band, x, y + 1];
}
