using Pipeline.Models.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Training;

/// <summary>A training batch: HR and LR in [-1, 1] and the geometry (shared by the batch, one scale per batch).</summary>
public sealed record TrainingBatch(Tensor Hr, Tensor Lr, TileGeometry Geometry) : IDisposable
{
    public void Dispose()
    {
        Hr.Dispose();
        Lr.Dispose();
    }
}

/// <summary>How crops are drawn (docs/models.md §1.1 / §5.2).</summary>
/// <param name="FixedLrSize">Stage-1 style: LR patch of this size, HR crop int(size·s).</param>
/// <param name="FixedHrSize">Stage-2 style: HR crop of this size, LR int(size/s). Exactly one of the two is set.</param>
/// <param name="MinScale">s ~ U(MinScale, MaxScale) per batch.</param>
/// <param name="FixedScaleProbability">Probability that a batch uses <paramref name="FixedScale"/> instead (0 = never).</param>
public sealed record PatchOptions(
    int? FixedLrSize, int? FixedHrSize, double MinScale, double MaxScale, double FixedScaleProbability = 0, double FixedScale = 4);

/// <summary>
/// Draws batches: one scale per batch; per sample a random image, a random square HR crop, h-flip / v-flip / 90°
/// rotation each with p = ½, and the LR made by Pillow-exact antialiased bicubic downsampling of the uint8 crop
/// (so the LR is uint8-quantised, as in the reference). Fully determined by the seed passed per batch.
/// </summary>
public sealed class PatchSampler(IReadOnlyList<RgbImage> images, PatchOptions options)
{
    public (int Hr, int Lr) Sizes(double scale)
    {
        if (options.FixedLrSize is int lr) return ((int)(lr * scale), lr);
        var hr = options.FixedHrSize ?? throw new InvalidOperationException("set FixedLrSize or FixedHrSize");
        return (hr, Math.Max(1, (int)(hr / scale)));
    }

    public double DrawScale(Random random) =>
        options.FixedScaleProbability > 0 && random.NextDouble() < options.FixedScaleProbability
            ? options.FixedScale
            : options.MinScale + (options.MaxScale - options.MinScale) * random.NextDouble();

    public TrainingBatch Next(int batchSize, long seed, Device device)
    {
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var scale = DrawScale(random);
        var (hrSize, lrSize) = Sizes(scale);
        var smallest = images.Min(im => Math.Min(im.Width, im.Height));
        if (hrSize > smallest)
        {
            // Images too small for this HR crop: shrink the crop, keeping the scale as close as possible.
            hrSize = smallest;
            lrSize = Math.Max(1, (int)(hrSize / scale));
        }
        var hr = new float[batchSize * 3 * hrSize * hrSize];
        var lr = new float[batchSize * 3 * lrSize * lrSize];
        for (var b = 0; b < batchSize; b++)
        {
            var image = images[random.Next(images.Count)];
            var crop = image.Crop(random.Next(image.Width - hrSize + 1), random.Next(image.Height - hrSize + 1), hrSize, hrSize);
            var augmented = Augment(crop.Data, hrSize, random.Next(2) == 1, random.Next(2) == 1, random.Next(2) == 1);
            var small = PilBicubic.Resize(augmented, 3, hrSize, hrSize, lrSize, lrSize);
            ToSigned(augmented, hr.AsSpan(b * augmented.Length, augmented.Length));
            ToSigned(small, lr.AsSpan(b * small.Length, small.Length));
        }
        return new TrainingBatch(
            tensor(hr, [batchSize, 3, hrSize, hrSize]).to(device),
            tensor(lr, [batchSize, 3, lrSize, lrSize]).to(device),
            TileGeometry.Whole(lrSize, lrSize, hrSize, hrSize));
    }

    static void ToSigned(byte[] src, Span<float> dst)
    {
        for (var i = 0; i < src.Length; i++) dst[i] = src[i] / 127.5f - 1f;
    }

    /// <summary>Flips and transposes a square planar RGB crop (transpose + flips cover the 90° rotations).</summary>
    internal static byte[] Augment(byte[] src, int size, bool hflip, bool vflip, bool transpose)
    {
        if (!hflip && !vflip && !transpose) return src;
        var dst = new byte[src.Length];
        var plane = size * size;
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    var sx = hflip ? size - 1 - x : x;
                    var sy = vflip ? size - 1 - y : y;
                    if (transpose) (sx, sy) = (sy, sx);
                    dst[c * plane + y * size + x] = src[c * plane + sy * size + sx];
                }
        return dst;
    }
}
