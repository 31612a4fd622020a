using System.Numerics;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// Sub-pixel translation between two images by phase correlation, from cross-power spectra summed over many small
/// windows (Hann-tapered <see cref="Size"/>² LR windows): the normalised sum's inverse transform peaks at the shift,
/// refined on each axis from the peak's larger neighbour (<see cref="Vertex"/>). Summing spectra before normalising weights
/// textured windows over flat ones, and keeps the sums additive across tiles.
/// </summary>
public static class PhaseCorrelation
{
    public const int Size = 16;

    static readonly double[] Hann = [.. Enumerable.Range(0, Size).Select(i => 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / Size))];
    static readonly double[] Cos = [.. Enumerable.Range(0, Size).Select(k => Math.Cos(2 * Math.PI * k / Size))];
    static readonly double[] Sin = [.. Enumerable.Range(0, Size).Select(k => Math.Sin(2 * Math.PI * k / Size))];

    /// <summary>Adds F(a)·conj(F(b)) of one window (row-major <see cref="Size"/>², mean removed, Hann-tapered) to
    /// <paramref name="crossPower"/> (interleaved re, im).</summary>
    public static void Accumulate(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double[] crossPower)
    {
        // Both windows are real: one complex transform of a + i·b holds both spectra, which Z(k) and conj Z(−k)
        // separate: F(a) = (Z(k) + conj Z(−k)) / 2, F(b) = (Z(k) − conj Z(−k)) / 2i. Half the work of two transforms.
        // Six windows of scratch on the stack: tens of thousands of windows per scene would otherwise be as many arrays.
        const int Area = Size * Size;
        Span<double> scratch = stackalloc double[6 * Area];
        var re = scratch[..Area];
        var im = scratch[Area..(2 * Area)];
        var zr = scratch[(2 * Area)..(3 * Area)];
        var zi = scratch[(3 * Area)..(4 * Area)];
        Taper(a, re);
        Taper(b, im);
        Dft(re, im, zr, zi, scratch[(4 * Area)..(5 * Area)], scratch[(5 * Area)..], inverse: false);
        for (var ky = 0; ky < Size; ky++)
            for (var kx = 0; kx < Size; kx++)
            {
                var (i, j) = (ky * Size + kx, (Size - ky) % Size * Size + (Size - kx) % Size);
                var (ar, ai) = ((zr[i] + zr[j]) / 2, (zi[i] - zi[j]) / 2);
                var (br, bi) = ((zi[i] + zi[j]) / 2, (zr[j] - zr[i]) / 2);
                crossPower[2 * i] += ar * br + ai * bi;
                crossPower[2 * i + 1] += ai * br - ar * bi;
            }
    }

    /// <summary>The shift (dx, dy) in pixels that moves the second image onto the first, or null when the spectra
    /// carry no signal (no window, or flat ones).</summary>
    public static (double Dx, double Dy)? Shift(double[] crossPower)
    {
        var re = new double[Size * Size];
        var im = new double[Size * Size];
        double total = 0;
        for (var i = 0; i < re.Length; i++)
        {
            var magnitude = Math.Sqrt(crossPower[2 * i] * crossPower[2 * i] + crossPower[2 * i + 1] * crossPower[2 * i + 1]);
            total += magnitude;
            if (magnitude == 0) continue;
            re[i] = crossPower[2 * i] / magnitude;
            im[i] = crossPower[2 * i + 1] / magnitude;
        }
        if (!(total > 1e-12)) return null;
        var surface = Inverse(re, im);
        var peak = 0;
        for (var i = 1; i < surface.Length; i++)
            if (surface[i] > surface[peak]) peak = i;
        var (py, px) = Math.DivRem(peak, Size);
        double At(int x, int y) => surface[(y + Size) % Size * Size + (x + Size) % Size];
        var dx = Signed(px) + Vertex(At(px - 1, py), At(px, py), At(px + 1, py));
        var dy = Signed(py) + Vertex(At(px, py - 1), At(px, py), At(px, py + 1));
        return (dx, dy);
    }

    static int Signed(int k) => k > Size / 2 ? k - Size : k;

    /// <summary>The sub-pixel offset from the peak towards its larger neighbour, from their ratio (Foroosh, Zerubia and
    /// Berthod 2002: a shifted impulse's correlation is a sampled sinc, so the two largest samples split the shift
    /// between them); a parabola would pull half-pixel shifts towards whole ones.</summary>
    static double Vertex(double left, double centre, double right)
    {
        if (!(centre > 0)) return 0;
        return right >= left
            ? Math.Max(right, 0) / (Math.Max(right, 0) + centre)
            : -Math.Max(left, 0) / (Math.Max(left, 0) + centre);
    }

    /// <summary>The window with its mean removed, Hann-tapered, into <paramref name="tapered"/>.</summary>
    static void Taper(ReadOnlySpan<double> window, Span<double> tapered)
    {
        var mean = 0.0;
        foreach (var v in window) mean += v;
        mean /= window.Length;
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                tapered[y * Size + x] = (window[y * Size + x] - mean) * Hann[x] * Hann[y];
    }

    static double[] Inverse(double[] re, double[] im)
    {
        var (outRe, outIm, rowsRe, rowsIm) = (new double[Size * Size], new double[Size * Size], new double[Size * Size], new double[Size * Size]);
        Dft(re, im, outRe, outIm, rowsRe, rowsIm, inverse: true);
        return outRe;
    }

    /// <summary>Separable 2-D DFT by direct sums (Size³ per axis; a window is tiny): rows into <paramref name="rowsRe"/>,
    /// <paramref name="rowsIm"/>, then columns into <paramref name="outRe"/>, <paramref name="outIm"/>.</summary>
    static void Dft(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> outRe, Span<double> outIm, Span<double> rowsRe, Span<double> rowsIm, bool inverse)
    {
        Axis(re, im, rowsRe, rowsIm, inverse, along: 1, across: Size);
        Axis(rowsRe, rowsIm, outRe, outIm, inverse, along: Size, across: 1);
    }

    /// <summary>cos and ∓sin of 2π·k·n/Size at [n·Size + k], for the forward (−) and inverse (+) transforms: a line's
    /// frequencies k side by side, so that <see cref="Axis"/> computes several at once.</summary>
    static readonly double[] CosNk = [.. Enumerable.Range(0, Size * Size).Select(i => Cos[i / Size * (i % Size) % Size])];
    static readonly double[] ForwardSinNk = [.. Enumerable.Range(0, Size * Size).Select(i => -Sin[i / Size * (i % Size) % Size])];
    static readonly double[] InverseSinNk = [.. Enumerable.Range(0, Size * Size).Select(i => Sin[i / Size * (i % Size) % Size])];

    /// <summary>The 1-D DFT of every line of the window: samples <paramref name="along"/> apart, lines <paramref name="across"/>
    /// apart. Vectorised across frequencies: each lane sums its own k over n in order, with the scalar sum's operations, so
    /// the result does not depend on the vector width.</summary>
    static void Axis(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> outRe, Span<double> outIm, bool inverse, int along, int across)
    {
        var sines = inverse ? InverseSinNk : ForwardSinNk;
        var lanes = Vector<double>.Count;
        for (var line = 0; line < Size; line++)
            for (var k = 0; k < Size; k += lanes)
            {
                Vector<double> sr = Vector<double>.Zero, si = Vector<double>.Zero;
                for (var n = 0; n < Size; n++)
                {
                    var (r, i) = (new Vector<double>(re[line * across + n * along]), new Vector<double>(im[line * across + n * along]));
                    var (c, s) = (new Vector<double>(CosNk.AsSpan(n * Size + k, lanes)), new Vector<double>(sines.AsSpan(n * Size + k, lanes)));
                    sr += r * c - i * s;
                    si += r * s + i * c;
                }
                for (var lane = 0; lane < lanes; lane++)
                    (outRe[line * across + (k + lane) * along], outIm[line * across + (k + lane) * along]) = (sr[lane], si[lane]);
            }
    }
}
