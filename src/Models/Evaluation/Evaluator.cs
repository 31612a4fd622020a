using System.Diagnostics;
using System.Globalization;
using Pipeline.Models.Geometry;
using Pipeline.Models.Inference;
using Pipeline.Models.Training;
using static TorchSharp.torch;

namespace Pipeline.Models.Evaluation;

/// <summary>Per-image result. PSNR/SSIM are RGB on uint8-rounded outputs, "Crop" with a border of ceil(scale)
/// pixels (test.py style), "Full" with none (pyiqa style). The grid patterns are <see cref="GridPattern.Measure"/> of
/// the output, the bicubic baseline and the HR itself (the measurement's floor).</summary>
public sealed record ImageScore(
    string Name, int Width, int Height, double Psnr, double Ssim, double PsnrFull, double DetailRatio,
    double BicubicPsnr, double BicubicSsim, double BicubicDetailRatio, double Seconds, double BicubicSeconds,
    double[] Grid, double[] BicubicGrid, double[] HrGrid)
{
    public double SecondsPerMegapixel => Seconds / (Width * (double)Height / 1e6);
}

public sealed record EvaluationSummary(double Scale, string Sampler, IReadOnlyList<ImageScore> Images)
{
    public double MeanPsnr => Images.Average(i => i.Psnr);
    public double MeanSsim => Images.Average(i => i.Ssim);
    public double MeanPsnrFull => Images.Average(i => i.PsnrFull);
    public double MeanDetailRatio => Images.Average(i => i.DetailRatio);
    public double MeanBicubicPsnr => Images.Average(i => i.BicubicPsnr);
    public double MeanBicubicSsim => Images.Average(i => i.BicubicSsim);
    public double MeanBicubicDetailRatio => Images.Average(i => i.BicubicDetailRatio);
    public double GridRms => GridPattern.Rms(Images.Select(i => i.Grid));
    public double BicubicGridRms => GridPattern.Rms(Images.Select(i => i.BicubicGrid));
    public double HrGridRms => GridPattern.Rms(Images.Select(i => i.HrGrid));
    public double SecondsPerMegapixel => Images.Sum(i => i.Seconds) / Megapixels;
    public double BicubicSecondsPerMegapixel => Images.Sum(i => i.BicubicSeconds) / Megapixels;
    double Megapixels => Images.Sum(i => i.Width * (double)i.Height / 1e6);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"x{Scale:0.##} {Sampler}: PSNR {MeanPsnr:F3} dB (bicubic {MeanBicubicPsnr:F3}, no crop {MeanPsnrFull:F3}), SSIM {MeanSsim:F4} (bicubic {MeanBicubicSsim:F4}), detail ratio {MeanDetailRatio:F3}, grid {GridRms:F3} DN (bicubic {BicubicGridRms:F3}, HR {HrGridRms:F3}), {SecondsPerMegapixel:F2} s/MP over {Images.Count} images");
}

/// <summary>
/// Evaluates a model like the reference's test.py: HR = each image of a folder, LR = Pillow bicubic to
/// floor(W/s) × floor(H/s), SR at the full HR size (whole image, no tiling), clamped and rounded to uint8. The bicubic
/// baseline is the model's own skip upsampler (PyTorch bicubic, a = −0.75, no antialias). With
/// <c>centreCrop</c> each HR image is first cut to its centre square of that size (faster evaluation of big images).
/// </summary>
/// <summary>One evaluated image: the HR, the model's output and the bicubic baseline (planar uint8, HR size).</summary>
public sealed record EvaluatedImage(RgbImage Hr, RgbImage Output, RgbImage Bicubic);

public static class Evaluator
{
    public static EvaluationSummary Run(SuperResolver resolver, string folder, double scale, SamplingOptions sampling,
        int maxImages = int.MaxValue, IProgress<ImageScore>? progress = null, int? centreCrop = null,
        ValidationHalf half = ValidationHalf.All, Action<EvaluatedImage>? onImage = null)
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
            var sr = resolver.Upscale(lr, geometry, sampling);
            var srBytes = ToBytes(sr);
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
                GridPattern.Measure(hr.Data, hr.Data, hr.Width, hr.Height, crop));
            scores.Add(score);
            progress?.Report(score);
            onImage?.Invoke(new EvaluatedImage(hr, new RgbImage(hr.Width, hr.Height, srBytes, hr.Name), new RgbImage(hr.Width, hr.Height, bicubic, hr.Name)));
        }
        if (scores.Count == 0) throw new InvalidDataException($"no images evaluated in {folder}");
        return new EvaluationSummary(scale, sampling.Sampler.ToString().ToLowerInvariant(), scores);
    }

    /// <summary>[1, 3, H, W] in [-1, 1] → planar uint8 (clamp, ×255, round).</summary>
    public static byte[] ToBytes(Tensor image)
    {
        using var scope = NewDisposeScope();
        var values = ((image.clamp(-1, 1) + 1) * 127.5f).round().to_type(ScalarType.Byte).cpu().contiguous();
        return values.data<byte>().ToArray();
    }
}
