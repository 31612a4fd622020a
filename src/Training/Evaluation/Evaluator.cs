using System.Diagnostics;
using System.Globalization;
using Pipeline.Models.Geometry;
using Pipeline.Models.Latent;
using Pipeline.Training;
using static TorchSharp.torch;

namespace Pipeline.Training.Evaluation;

public static class Evaluator
{
    public static EvaluationSummary Run(SuperResolver resolver, string folder, double scale, LatentSampling sampling,
        int maxImages = int.MaxValue, IProgress<ImageScore>? progress = null, int? centreCrop = null,
        ValidationHalf half = ValidationHalf.All, Action<EvaluatedImage>? onImage = null) =>
        Run((lr, geometry) => resolver.Upscale(lr, geometry, sampling), LatentSampling.NameOf(sampling.Sampler), folder, scale,
            maxImages, progress, centreCrop, half, onImage);

    /// <param name="upscale">The model on a whole image: LR [1, 3, h, w] in [-1, 1] → SR [1, 3, H, W] in [-1, 1].</param>
    /// <param name="method">The method's name in the summary.</param>
    public static EvaluationSummary Run(Func<Tensor, TileGeometry, Tensor> upscale, string method, string folder, double scale,
        int maxImages = int.MaxValue, IProgress<ImageScore>? progress = null, int? centreCrop = null,
        ValidationHalf half = ValidationHalf.All, Action<EvaluatedImage>? onImage = null, bool enforce = false)
    {
        var scores = new List<ImageScore>();
        foreach (var path in ValidationHalves.Select(ImageFolder.List(folder), half).Take(maxImages))
        {
            var hr = RgbImage.Decode(path);
            if (centreCrop is int size && size < Math.Max(hr.Width, hr.Height))
            {
                var (w, h) = (Math.Min(size, hr.Width), Math.Min(size, hr.Height));
                hr = hr.Crop((hr.Width - w) / 2, (hr.Height - h) / 2, w, h);
            }
            var lrW = (int)Math.Floor(hr.Width / scale);
            var lrH = (int)Math.Floor(hr.Height / scale);
            if (lrW < 1 || lrH < 1) continue;
            var lrBytes = PilBicubic.Resize(hr.Data, 3, hr.Width, hr.Height, lrW, lrH);
            var lr = tensor(lrBytes.Select(b => b / 127.5f - 1f).ToArray(), [1, 3, lrH, lrW]);
            var geometry = TileGeometry.Whole(lrW, lrH, hr.Width, hr.Height);

            var clock = Stopwatch.StartNew();
            var sr = upscale(lr, geometry);
            var srBytes = ToBytes(sr);
            if (enforce) srBytes = EvaluationConsistency.Enforce(lrBytes, lrW, lrH, srBytes, hr.Width, hr.Height);
            clock.Stop();
            var bicubicClock = Stopwatch.StartNew();
            var bicubic = ToBytes(Resampler.Resize(lr, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic));
            bicubicClock.Stop();

            var crop = (int)Math.Ceiling(scale);
            var score = new ImageScore(Path.GetFileName(path), hr.Width, hr.Height,
                ImageMetrics.Psnr(srBytes, hr.Data, hr.Width, hr.Height, crop),
                ImageMetrics.Ssim(srBytes, hr.Data, hr.Width, hr.Height, crop),
                ImageMetrics.Psnr(srBytes, hr.Data, hr.Width, hr.Height),
                ImageMetrics.DetailRatio(srBytes, hr.Data, hr.Width, hr.Height, crop),
                ImageMetrics.Psnr(bicubic, hr.Data, hr.Width, hr.Height, crop),
                ImageMetrics.Ssim(bicubic, hr.Data, hr.Width, hr.Height, crop),
                ImageMetrics.DetailRatio(bicubic, hr.Data, hr.Width, hr.Height, crop),
                clock.Elapsed.TotalSeconds,
                bicubicClock.Elapsed.TotalSeconds,
                GridPattern.Measure(srBytes, hr.Data, hr.Width, hr.Height, crop),
                GridPattern.Measure(bicubic, hr.Data, hr.Width, hr.Height, crop),
                GridPattern.Measure(hr.Data, hr.Data, hr.Width, hr.Height, crop),
                EvaluationConsistency.Of(lrBytes, lrW, lrH, srBytes, hr.Width, hr.Height),
                EvaluationConsistency.Of(lrBytes, lrW, lrH, bicubic, hr.Width, hr.Height));
            scores.Add(score);
            progress?.Report(score);
            onImage?.Invoke(new EvaluatedImage(hr, new RgbImage(hr.Width, hr.Height, srBytes, hr.Name), new RgbImage(hr.Width, hr.Height, bicubic, hr.Name)));
        }
        if (scores.Count == 0) throw new InvalidDataException($"no images evaluated in {folder}");
        return new EvaluationSummary(scale, method, scores);
    }

    /// <summary>[1, 3, H, W] in [-1, 1] → planar uint8 (clamp, ×255, round).</summary>
    public static byte[] ToBytes(Tensor image)
    {
        using var scope = NewDisposeScope();
        var values = ((image.clamp(-1, 1) + 1) * 127.5f).round().to_type(ScalarType.Byte).cpu().contiguous();
        return values.data<byte>().ToArray();
    }
}
