namespace Pipeline.Training.Evaluation;

/// <summary>
/// Metrics on 8-bit planar RGB images, as the reference's test.py computes them (docs/models.md §6): RGB PSNR over all
/// channels and SSIM (11×11 Gaussian window, σ = 1.5, K₁ = 0.01, K₂ = 0.03, valid region, averaged over channels),
/// both after cropping <c>crop</c> pixels from every side.
/// </summary>
public static class ImageMetrics
{
    public static double Psnr(byte[] a, byte[] b, int width, int height, int crop = 0)
    {
        double sum = 0;
        long n = 0;
        for (var c = 0; c < 3; c++)
            for (var y = crop; y < height - crop; y++)
                for (var x = crop; x < width - crop; x++)
                {
                    var i = (c * height + y) * width + x;
                    double d = a[i] - b[i];
                    sum += d * d;
                    n++;
                }
        var mse = sum / Math.Max(1, n);
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    public static double Ssim(byte[] a, byte[] b, int width, int height, int crop = 0)
    {
        var w = width - 2 * crop;
        var h = height - 2 * crop;
        if (w < 11 || h < 11) return double.NaN;
        var window = Gaussian(11, 1.5);
        const double c1 = 0.01 * 255 * 0.01 * 255, c2 = 0.03 * 255 * 0.03 * 255;
        double total = 0;
        for (var c = 0; c < 3; c++)
        {
            var pa = Plane(a, c, width, height, crop);
            var pb = Plane(b, c, width, height, crop);
            var muA = Filter(pa, w, h, window);
            var muB = Filter(pb, w, h, window);
            var aa = Filter(Product(pa, pa), w, h, window);
            var bb = Filter(Product(pb, pb), w, h, window);
            var ab = Filter(Product(pa, pb), w, h, window);
            double sum = 0;
            for (var i = 0; i < muA.Length; i++)
            {
                var (ma, mb) = (muA[i], muB[i]);
                var va = aa[i] - ma * ma;
                var vb = bb[i] - mb * mb;
                var cov = ab[i] - ma * mb;
                sum += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            }
            total += sum / muA.Length;
        }
        return total / 3;
    }

    /// <summary>
    /// High-frequency detail of an output relative to the reference: mean |Laplacian| of the output over mean
    /// |Laplacian| of the reference (luma, 3×3 Laplacian, same crop). 1 = as much fine detail as the HR; bicubic is
    /// well below 1; above 1 means over-sharpening or hallucinated texture.
    /// </summary>
    public static double DetailRatio(byte[] output, byte[] reference, int width, int height, int crop = 0)
    {
        var lo = LaplacianEnergy(output, width, height, crop);
        var lr = LaplacianEnergy(reference, width, height, crop);
        return lr == 0 ? double.NaN : lo / lr;
    }

    static double LaplacianEnergy(byte[] img, int width, int height, int crop)
    {
        var plane = width * height;
        double Luma(int x, int y)
        {
            var i = y * width + x;
            return 0.299 * img[i] + 0.587 * img[plane + i] + 0.114 * img[2 * plane + i];
        }
        double sum = 0;
        long n = 0;
        for (var y = Math.Max(1, crop); y < height - Math.Max(1, crop); y++)
            for (var x = Math.Max(1, crop); x < width - Math.Max(1, crop); x++)
            {
                sum += Math.Abs(4 * Luma(x, y) - Luma(x - 1, y) - Luma(x + 1, y) - Luma(x, y - 1) - Luma(x, y + 1));
                n++;
            }
        return n == 0 ? 0 : sum / n;
    }

    static double[] Plane(byte[] img, int c, int width, int height, int crop)
    {
        var w = width - 2 * crop;
        var h = height - 2 * crop;
        var p = new double[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                p[y * w + x] = img[(c * height + y + crop) * width + x + crop];
        return p;
    }

    static double[] Product(double[] a, double[] b)
    {
        var r = new double[a.Length];
        for (var i = 0; i < a.Length; i++) r[i] = a[i] * b[i];
        return r;
    }

    static double[] Gaussian(int size, double sigma)
    {
        var g = new double[size];
        var half = size / 2;
        double sum = 0;
        for (var i = 0; i < size; i++) sum += g[i] = Math.Exp(-(i - half) * (i - half) / (2 * sigma * sigma));
        for (var i = 0; i < size; i++) g[i] /= sum;
        return g;
    }

    /// <summary>Separable valid-mode filtering: output (w − k + 1) × (h − k + 1).</summary>
    static double[] Filter(double[] p, int w, int h, double[] k)
    {
        var n = k.Length;
        var ow = w - n + 1;
        var oh = h - n + 1;
        var horizontal = new double[h * ow];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < ow; x++)
            {
                double s = 0;
                for (var t = 0; t < n; t++) s += k[t] * p[y * w + x + t];
                horizontal[y * ow + x] = s;
            }
        var result = new double[oh * ow];
        for (var y = 0; y < oh; y++)
            for (var x = 0; x < ow; x++)
            {
                double s = 0;
                for (var t = 0; t < n; t++) s += k[t] * horizontal[(y + t) * ow + x];
                result[y * ow + x] = s;
            }
        return result;
    }
}
