using System.Diagnostics;
using System.Globalization;
using Pipeline.Imaging.Consistency;
using Pipeline.Training;
using static TorchSharp.torch;

namespace Pipeline.Training.Evaluation;

/// <summary>Per-image result. PSNR/SSIM are RGB on uint8-rounded outputs, "Crop" with a border of ceil(scale)
/// pixels (test.py style), "Full" with none (pyiqa style). The grid patterns are <see cref="GridPattern.Measure"/> of
/// the output, the bicubic baseline and the HR itself (the measurement's floor). The consistency figures are the
/// output's and bicubic's against the LR, as a job measures them (no ground truth involved).</summary>
public sealed record ImageScore(
    string Name, int Width, int Height, double Psnr, double Ssim, double PsnrFull, double DetailRatio,
    double BicubicPsnr, double BicubicSsim, double BicubicDetailRatio, double Seconds, double BicubicSeconds,
    double[] Grid, double[] BicubicGrid, double[] HrGrid, SceneConsistency Consistency, SceneConsistency BicubicConsistency)
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
    public double MeanInconsistency => Images.Average(i => i.Consistency.Inconsistency);
    public double MeanBicubicInconsistency => Images.Average(i => i.BicubicConsistency.Inconsistency);
    public double MeanGrain => Images.Average(i => i.Consistency.Grain);
    public double MeanBicubicGrain => Images.Average(i => i.BicubicConsistency.Grain);
    public double FlaggedShare => Images.Count(i => i.Consistency.Flagged) / (double)Images.Count;
    public double BicubicFlaggedShare => Images.Count(i => i.BicubicConsistency.Flagged) / (double)Images.Count;
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
