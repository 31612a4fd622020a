using System.Globalization;
using System.Text;

namespace Pipeline.Training.Evaluation;

/// <summary>One method at one scale: mean RGB PSNR, SSIM and detail ratio over the images, the latent-grid pattern in
/// flat areas (DN RMS, <see cref="GridPattern"/>) and seconds per output megapixel. Written
/// as CSV and printed as a table with the PSNR gain over bicubic at the same scale; and the consistency figures a job
/// would report without ground truth (mean inconsistency %, mean grain, share of images flagged), to check them
/// against PSNR.</summary>
public sealed record EvaluationRow(string Method, double Scale, int Images, double Psnr, double Ssim, double DetailRatio, double GridRms, double SecondsPerMegapixel,
    double Inconsistency = double.NaN, double Grain = double.NaN, double Flagged = double.NaN)
{
    public const string CsvHeader = "method,scale,images,psnr,ssim,detail_ratio,grid_rms_dn,sec_per_mp,inconsistency_pct,grain,flagged_share";

    public string ToCsv() => string.Create(CultureInfo.InvariantCulture,
        $"{Method},{Scale:0.###},{Images},{Psnr:F4},{Ssim:F5},{DetailRatio:F4},{GridRms:F4},{SecondsPerMegapixel:F4},{Inconsistency:F4},{Grain:F4},{Flagged:F3}");

    public static void WriteCsv(string path, IEnumerable<EvaluationRow> rows)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        File.WriteAllLines(path, [CsvHeader, .. rows.Select(r => r.ToCsv())]);
    }

    public static string Table(IReadOnlyList<EvaluationRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("method         scale  images   PSNR dB  vs bicubic    SSIM  detail  grid DN  s/MP  incons. %  grain  flagged");
        foreach (var row in rows)
        {
            var bicubic = rows.FirstOrDefault(r => r.Method == "bicubic" && r.Scale == row.Scale);
            var gain = bicubic is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{row.Psnr - bicubic.Psnr:+0.000;-0.000}");
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Method,-14} {row.Scale,5:0.##} {row.Images,7} {row.Psnr,9:F3} {gain,11} {row.Ssim,7:F4} {row.DetailRatio,7:F3} {row.GridRms,8:F3} {row.SecondsPerMegapixel,6:F3} {row.Inconsistency,10:F3} {row.Grain,6:F2} {row.Flagged,8:P0}"));
        }
        return text.ToString();
    }
}
