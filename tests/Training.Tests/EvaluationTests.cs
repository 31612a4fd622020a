using Pipeline.Models.Diffusion;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;
using Pipeline.Training;
using Pipeline.Training.Evaluation;

namespace Pipeline.Training.Tests;

public class EvaluationTests
{
    [Fact]
    public void Psnr_and_ssim_behave()
    {
        const int w = 20, h = 16;
        var a = new byte[3 * w * h];
        new Random(1).NextBytes(a);
        Assert.Equal(double.PositiveInfinity, ImageMetrics.Psnr(a, a, w, h));
        Assert.Equal(1.0, ImageMetrics.Ssim(a, a, w, h), 6);
        var b = a.Select(v => (byte)Math.Min(255, v + 1)).ToArray();
        var psnr = ImageMetrics.Psnr(a, b, w, h);
        Assert.InRange(psnr, 48.1, 60);   // MSE ≤ 1 → ≥ 48.13 dB
        Assert.True(ImageMetrics.Ssim(a, b, w, h) > 0.99);
        Assert.Equal(1.0, ImageMetrics.DetailRatio(a, a, w, h, 2), 6);
    }

    [Fact]
    public void Evaluator_scores_a_folder()
    {
        var dir = Directory.CreateTempSubdirectory("sr-eval-").FullName;
        try
        {
            var data = new byte[3 * 40 * 32];
            for (var i = 0; i < data.Length; i++) data[i] = (byte)(128 + 100 * Math.Sin(i * 0.05));
            new RgbImage(40, 32, data, "a").SavePng(Path.Combine(dir, "a.png"));
            using var resolver = new SuperResolver(TestModels.RandomSrModel());
            var summary = Evaluator.Run(resolver, dir, 2.5, new LatentSampling(SamplerKind.Deterministic));
            Assert.Single(summary.Images);
            Assert.True(double.IsFinite(summary.MeanPsnr) && double.IsFinite(summary.MeanBicubicPsnr));
            Assert.True(summary.SecondsPerMegapixel > 0);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
