namespace Pipeline.Training.Evaluation;

/// <summary>
/// The part of an output that repeats with the model's latent cell (8 HR px; its harmonics hold the 4-px and 2-px
/// patterns, and at ×4 the LR pixel grid) in flat areas: a fixed-pattern artefact that the eye picks out on smooth
/// ground, where real content is not periodic on the model's grid.
/// How: luma high-passed by subtracting its <c>Period</c>×<c>Period</c> moving average (this removes smooth shading
/// and ramps but passes a period-P pattern whole), then averaged per phase (y mod P, x mod P) over the flattest
/// quarter of the image's 2P×2P blocks (flattest in the reference, so every method is measured on the same pixels).
/// Patterns of several images add coherently (the latent grid starts at pixel 0 of every image); <see cref="Rms"/>
/// of their mean is the periodic amplitude in DN. Content that is not grid-locked averages towards 0, so the HR's
/// own value is the floor of the measurement.
/// </summary>
public static class GridPattern
{
    public const int Period = 8;

    /// <summary>The mean high-pass luma per phase (P·P values, row-major by y mod P, x mod P), zero-mean.</summary>
    public static double[] Measure(byte[] output, byte[] reference, int width, int height, int crop = 0)
    {
        const int block = 2 * Period;
        var luma = Luma(output, width, height);
        var referenceLuma = Luma(reference, width, height);
        var integral = Integral(luma, width, height);
        var start = (Math.Max(crop, Period / 2) + block - 1) / block * block; // whole blocks, windows inside the image
        var blocks = new List<(int X, int Y, double Std)>();
        for (var by = start; by + block + Period / 2 <= height - crop; by += block)
            for (var bx = start; bx + block + Period / 2 <= width - crop; bx += block)
                blocks.Add((bx, by, Std(referenceLuma, width, bx, by, block)));
        var sums = new double[Period * Period];
        if (blocks.Count == 0) return sums;
        var flatLimit = blocks.Select(b => b.Std).Order().ElementAt((blocks.Count - 1) / 4);
        var counts = 0;
        foreach (var (bx, by, std) in blocks.Where(b => b.Std <= flatLimit))
        {
            counts++;
            for (var y = by; y < by + block; y++)
                for (var x = bx; x < bx + block; x++)
                {
                    var mean = WindowSum(integral, width, x - Period / 2, y - Period / 2, Period) / (Period * Period);
                    sums[y % Period * Period + x % Period] += luma[y * width + x] - mean;
                }
        }
        var perPhase = counts * (block / Period) * (block / Period);
        for (var i = 0; i < sums.Length; i++) sums[i] /= perPhase;
        var average = sums.Average();
        for (var i = 0; i < sums.Length; i++) sums[i] -= average;
        return sums;
    }

    /// <summary>RMS over the phases of the images' mean pattern (DN).</summary>
    public static double Rms(IEnumerable<double[]> patterns)
    {
        var list = patterns.ToList();
        if (list.Count == 0) return double.NaN;
        return Math.Sqrt(Enumerable.Range(0, Period * Period).Select(i => list.Average(p => p[i])).Average(v => v * v));
    }

    static double[] Luma(byte[] img, int width, int height)
    {
        var plane = width * height;
        var luma = new double[plane];
        for (var i = 0; i < plane; i++) luma[i] = 0.299 * img[i] + 0.587 * img[plane + i] + 0.114 * img[2 * plane + i];
        return luma;
    }

    /// <summary>Summed-area table with a zero first row and column: (width + 1) × (height + 1).</summary>
    static double[] Integral(double[] values, int width, int height)
    {
        var table = new double[(width + 1) * (height + 1)];
        for (var y = 0; y < height; y++)
        {
            double row = 0;
            for (var x = 0; x < width; x++)
            {
                row += values[y * width + x];
                table[(y + 1) * (width + 1) + x + 1] = table[y * (width + 1) + x + 1] + row;
            }
        }
        return table;
    }

    static double WindowSum(double[] table, int width, int x, int y, int size)
    {
        var w = width + 1;
        return table[(y + size) * w + x + size] - table[y * w + x + size] - table[(y + size) * w + x] + table[y * w + x];
    }

    static double Std(double[] luma, int width, int x0, int y0, int size)
    {
        double sum = 0, sumSq = 0;
        for (var y = y0; y < y0 + size; y++)
            for (var x = x0; x < x0 + size; x++)
            {
                var v = luma[y * width + x];
                sum += v;
                sumSq += v * v;
            }
        var n = size * size;
        return Math.Sqrt(Math.Max(0, sumSq / n - sum / n * (sum / n)));
    }
}
