using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// What one tile (or a whole scene, summed) found comparing its output, degraded back to the LR grid, with its input:
/// sums that add up over tiles, so the scene's figures are exact whatever the tiling. Every LR pixel of a scene is
/// measured by exactly one tile (<see cref="TileOwnership"/>). Values are in the scene's units (DN), except the map
/// cells and the phase-correlation signal, which are relative to the scene's black–white range.
/// </summary>
public sealed class ConsistencySums
{
    public ConsistencySums(int bands, PixelWindow cells)
    {
        SignedError = new double[bands];
        AbsoluteError = new double[bands];
        SquaredError = new double[bands];
        CrossPower = new double[2 * PhaseCorrelation.Size * PhaseCorrelation.Size];
        Cells = cells;
        CellError = new double[Math.Max(0, cells.Width) * Math.Max(0, cells.Height)];
        CellPixels = new int[CellError.Length];
    }

    /// <summary>Σ (D(SR) − LR) per band over the measured pixels: a colour cast or drift.</summary>
    public double[] SignedError { get; init; }

    /// <summary>Σ |D(SR) − LR| per band over the measured pixels.</summary>
    public double[] AbsoluteError { get; init; }

    /// <summary>Σ (D(SR) − LR)² per band.</summary>
    public double[] SquaredError { get; init; }

    /// <summary>LR pixels measured (all bands valid and finite, and so is the HR they are degraded from).</summary>
    public long Pixels { get; set; }

    /// <summary>Σ spectral angle (degrees) between LR and D(SR) band vectors, over <see cref="AnglePixels"/>.</summary>
    public double AngleSum { get; set; }

    public long AnglePixels { get; set; }

    /// <summary>Σ over 16×16 LR windows of F(LR)·conj(F(D(SR))), interleaved re, im (<see cref="PhaseCorrelation"/>).</summary>
    public double[] CrossPower { get; init; }

    public int CrossWindows { get; set; }

    /// <summary>Σ |Laplacian| of the output and of bicubic of the same LR, over the measured HR pixels (relative units).</summary>
    public double DetailOutput { get; set; }

    public double DetailBicubic { get; set; }

    /// <summary>Σ |diagonal Haar detail| of 2×2 blocks (the finest scale) of the output and of the input, relative units,
    /// mean over bands, and the blocks counted: pixel-scale grain, such as added noise.</summary>
    public double GrainOutput { get; set; }

    public long GrainOutputBlocks { get; set; }

    public double GrainInput { get; set; }

    public long GrainInputBlocks { get; set; }

    /// <summary>The map cells these pixels fall in (cell coordinates), and per cell Σ of the per-pixel error (percent of the
    /// range, mean over bands) and the pixels counted.</summary>
    public PixelWindow Cells { get; init; }

    public double[] CellError { get; init; }

    public int[] CellPixels { get; init; }

    public int Bands => AbsoluteError.Length;

    /// <summary>Adds <paramref name="other"/>'s sums (not its cells: the map adds those in place).</summary>
    public void Add(ConsistencySums other)
    {
        if (other.Bands != Bands) throw new ArgumentException($"sums of {other.Bands} bands cannot be added to sums of {Bands}", nameof(other));
        for (var b = 0; b < Bands; b++)
        {
            SignedError[b] += other.SignedError[b];
            AbsoluteError[b] += other.AbsoluteError[b];
            SquaredError[b] += other.SquaredError[b];
        }
        Pixels += other.Pixels;
        AngleSum += other.AngleSum;
        AnglePixels += other.AnglePixels;
        for (var i = 0; i < CrossPower.Length; i++) CrossPower[i] += other.CrossPower[i];
        CrossWindows += other.CrossWindows;
        DetailOutput += other.DetailOutput;
        DetailBicubic += other.DetailBicubic;
        GrainOutput += other.GrainOutput;
        GrainOutputBlocks += other.GrainOutputBlocks;
        GrainInput += other.GrainInput;
        GrainInputBlocks += other.GrainInputBlocks;
    }
}
