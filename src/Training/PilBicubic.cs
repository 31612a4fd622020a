namespace Pipeline.Training;

/// <summary>
/// A C# re-implementation of Pillow's <c>Image.resize(size, BICUBIC)</c> for 8-bit images, the degradation the
/// reference training uses (docs/models.md §1.1): separable convolution with the cubic kernel a = −0.5, the support
/// widened by the reduction factor when downsampling (antialiasing), per-output weights normalised to sum 1 and
/// converted to 22-bit fixed point, horizontal pass first with the intermediate rounded and clipped to uint8, then
/// the vertical pass. Planar layout: sample (c, y, x) at <c>(c·height + y)·width + x</c>.
/// </summary>
public static class PilBicubic
{
    const int PrecisionBits = 32 - 8 - 2;
    const double Support = 2.0;

    public static byte[] Resize(ReadOnlySpan<byte> source, int channels, int width, int height, int outWidth, int outHeight)
    {
        if (width <= 0 || height <= 0 || outWidth <= 0 || outHeight <= 0) throw new ArgumentOutOfRangeException(nameof(outWidth), "sizes must be positive");
        if (source.Length != channels * width * height) throw new ArgumentException("source length does not match the size");
        var current = source.ToArray();
        var (w, h) = (width, height);
        if (outWidth != width)
        {
            current = Horizontal(current, channels, w, h, outWidth);
            w = outWidth;
        }
        if (outHeight != height) current = Vertical(current, channels, w, h, outHeight);
        return current;
    }

    /// <summary>Per output pixel: first input index, tap count and fixed-point weights (Pillow's precompute_coeffs
    /// and normalize_coeffs_8bpc).</summary>
    internal static (int[] Start, int[] Count, int[][] Weights) Coefficients(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = Support * filterScale;
        var start = new int[outSize];
        var count = new int[outSize];
        var weights = new int[outSize][];
        for (var o = 0; o < outSize; o++)
        {
            var center = (o + 0.5) * scale;
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            var k = new double[Math.Max(xmax, 0)];
            var total = 0.0;
            for (var x = 0; x < k.Length; x++)
            {
                k[x] = Pipeline.Imaging.Consistency.AntialiasedBicubic.Cubic((x + xmin - center + 0.5) / filterScale);
                total += k[x];
            }
            var fixedPoint = new int[k.Length];
            for (var x = 0; x < k.Length; x++)
            {
                var v = total != 0 ? k[x] / total : k[x];
                fixedPoint[x] = v < 0 ? (int)(-0.5 + v * (1 << PrecisionBits)) : (int)(0.5 + v * (1 << PrecisionBits));
            }
            start[o] = xmin;
            count[o] = k.Length;
            weights[o] = fixedPoint;
        }
        return (start, count, weights);
    }

    static byte Clip8(int accumulator) => (byte)Math.Clamp(accumulator >> PrecisionBits, 0, 255);

    static byte[] Horizontal(byte[] src, int channels, int width, int height, int outWidth)
    {
        var (start, count, weights) = Coefficients(width, outWidth);
        var dst = new byte[channels * height * outWidth];
        Parallel.For(0, channels * height, row =>
        {
            var s = row * width;
            var d = row * outWidth;
            for (var o = 0; o < outWidth; o++)
            {
                var acc = 1 << (PrecisionBits - 1);
                var k = weights[o];
                var first = s + start[o];
                for (var t = 0; t < count[o]; t++) acc += src[first + t] * k[t];
                dst[d + o] = Clip8(acc);
            }
        });
        return dst;
    }

    static byte[] Vertical(byte[] src, int channels, int width, int height, int outHeight)
    {
        var (start, count, weights) = Coefficients(height, outHeight);
        var dst = new byte[channels * outHeight * width];
        Parallel.For(0, channels * outHeight, row =>
        {
            var c = row / outHeight;
            var o = row % outHeight;
            var k = weights[o];
            var plane = c * height * width;
            var d = row * width;
            for (var x = 0; x < width; x++)
            {
                var acc = 1 << (PrecisionBits - 1);
                for (var t = 0; t < count[o]; t++) acc += src[plane + (start[o] + t) * width + x] * k[t];
                dst[d + x] = Clip8(acc);
            }
        });
        return dst;
    }
}
