using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Writing;

/// <summary>
/// A thumbnail of the mosaic being written, at most <see cref="MaxSide"/> pixels on its long side, filled in as
/// blocks reach the writer: each thumbnail pixel averages the output pixels under it (bands 1–3 as RGB, or band 1
/// as grey). Parts not written yet are transparent, so a person watching a job sees where it stands.
/// </summary>
public sealed class MosaicPreview
{
    public const int MaxSide = 256;

    readonly int factor;
    readonly int[] shownBands;
    readonly double[] sums;
    readonly int[] counts;

    public MosaicPreview(int outputWidth, int outputHeight, int outputBands)
    {
        factor = Math.Max(1, (Math.Max(outputWidth, outputHeight) + MaxSide - 1) / MaxSide);
        Width = (outputWidth + factor - 1) / factor;
        Height = (outputHeight + factor - 1) / factor;
        shownBands = outputBands >= 3 ? [0, 1, 2] : [0];
        sums = new double[shownBands.Length * Width * Height];
        counts = new int[shownBands.Length * Width * Height];
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The thumbnail of a finished file, read through GDAL at the thumbnail's size (from its overviews).</summary>
    public static MosaicPreview Of(GdalReader file)
    {
        var preview = new MosaicPreview(file.Info.Width, file.Info.Height, file.Info.Bands);
        preview.Add(file.ReadReduced(preview.Width, preview.Height), 0, preview.factor);
        return preview;
    }

    /// <summary>Adds a written piece: bands <paramref name="firstBand"/>… of its window (finite samples only), each of
    /// its pixels covering <paramref name="pixelSize"/>² output pixels (a piece reduced for the overviews).</summary>
    public void Add(RasterBlock piece, int firstBand, int pixelSize = 1)
    {
        var window = piece.Window;
        for (var shown = 0; shown < shownBands.Length; shown++)
        {
            var band = shownBands[shown] - firstBand;
            if (band < 0 || band >= piece.Bands) continue;
            var plane = piece.Band(band);
            var offset = shown * Width * Height;
            for (var y = 0; y < window.Height; y++)
            {
                var (top, bottom) = Covered(window.Y + y, pixelSize, Height);
                for (var x = 0; x < window.Width; x++)
                {
                    var value = plane[y * window.Width + x];
                    if (!float.IsFinite(value)) continue;
                    var (left, right) = Covered(window.X + x, pixelSize, Width);
                    for (var row = top; row <= bottom; row++)
                        for (var column = left; column <= right; column++)
                        {
                            sums[offset + row * Width + column] += value;
                            counts[offset + row * Width + column]++;
                        }
                }
            }
        }
    }

    /// <summary>The thumbnail pixels (first, last) under piece pixel <paramref name="at"/>.</summary>
    (int First, int Last) Covered(int at, int pixelSize, int side) =>
        ((int)((long)at * pixelSize / factor), (int)Math.Min(side - 1, ((long)at * pixelSize + pixelSize - 1) / factor));

    /// <summary>The thumbnail as PNG, stretched between the 2nd and 98th percentiles of what is written (one stretch
    /// for all bands, so colours keep their balance).</summary>
    public byte[] ToPng()
    {
        var means = new double[sums.Length];
        var written = new List<double>();
        for (var i = 0; i < sums.Length; i++)
            if (counts[i] > 0) written.Add(means[i] = sums[i] / counts[i]);
        written.Sort();
        var (low, high) = written.Count == 0 ? (0.0, 1.0) : (written[(int)(0.02 * (written.Count - 1))], written[(int)(0.98 * (written.Count - 1))]);
        if (high <= low) high = low + 1;

        var area = Width * Height;
        var rgba = new byte[area * 4];
        for (var i = 0; i < area; i++)
        {
            if (counts[i] == 0) continue; // not written yet: transparent
            for (var channel = 0; channel < 3; channel++)
            {
                var shown = shownBands.Length == 3 ? channel : 0;
                rgba[i * 4 + channel] = (byte)Math.Clamp((means[shown * area + i] - low) / (high - low) * 255, 0, 255);
            }
            rgba[i * 4 + 3] = 255;
        }
        return PngImage.EncodeRgba(Width, Height, rgba);
    }
}
