using System.CommandLine;
using System.Globalization;
using Pipeline.Models.Inference;
using Pipeline.Training;
using Pipeline.Training.Evaluation;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>eval --data … --scales 2,4 --csv …</c>: option parsing for <see cref="EvaluationRun"/> (bicubic and every model
/// family's methods on a folder of HR images), then the table and the CSV.
/// </summary>
static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder of HR images (PNG/JPEG, searched recursively)", Required = true };
        var scales = new Option<string>("--scales") { Description = "Comma-separated scales, e.g. 2,2.5,4", DefaultValueFactory = _ => "2,4" };
        var csv = new Option<FileInfo>("--csv") { Description = "CSV output: " + EvaluationRow.CsvHeader, Required = true };
        var weights = new Option<string[]>("--weights")
        {
            Description = "Model names or weights files, any family (default: each family's shipped models: deterministic-small, e2diffsr-small, lcmsr-small, idm-small); " +
                          "deterministic uses the first E²DiffSR/LCMSR file, each sampler the first of the others trained for it; idm the first IDM file",
            AllowMultipleArgumentsPerToken = true,
        };
        var methods = new Option<string>("--methods") { Description = "Comma-separated subset of " + string.Join(",", EvaluationRun.Methods), DefaultValueFactory = _ => string.Join(",", EvaluationRun.Methods) };
        var maxImages = new Option<int>("--max-images") { Description = "Evaluate only the first N images (sorted by path)", DefaultValueFactory = _ => int.MaxValue };
        var crop = new Option<int?>("--crop") { Description = "Evaluate the centre N×N crop of each HR image (faster)" };
        var seed = new Option<ulong>("--seed") { Description = "Noise seed of the sampled methods", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var precision = new Option<string>("--precision") { Description = "fp32 (default) or bf16: the number format of the models' convolutions", DefaultValueFactory = _ => "fp32" };
        var steps = new Option<int>("--steps") { Description = "Sampling steps of the methods whose step count is free (idm; 0: the model's default)", DefaultValueFactory = _ => 0 };
        var half = new Option<ValidationHalf>("--half")
        {
            Description = "all, tune (images at even positions in path order: choose settings here) or report (odd positions: report figures here)",
            DefaultValueFactory = _ => ValidationHalf.All,
        };
        var consistency = new Option<Pipeline.Imaging.Consistency.ConsistencyMode>("--consistency")
        {
            Description = "report (default) or enforce: back-project every model output onto its LR before it is scored, as a job with --consistency enforce does",
            DefaultValueFactory = _ => Pipeline.Imaging.Consistency.ConsistencyMode.Report,
        };
        consistency.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<Pipeline.Imaging.Consistency.ConsistencyMode>() == Pipeline.Imaging.Consistency.ConsistencyMode.Off)
                result.AddError("--consistency off is for jobs: eval measures every output's consistency (report or enforce)");
        });
        var figure = new Option<FileInfo?>("--figure") { Description = "Also write a PNG of one image's crop at the first scale: bicubic, then each model method, then HR, side by side (×2 pixel zoom)" };
        var figureImage = new Option<string?>("--figure-image") { Description = "File name of the figure's image (default: the first evaluated)" };
        var figureCrop = new Option<string>("--figure-crop") { Description = "X,Y,SIZE of the figure's HR crop", DefaultValueFactory = _ => "0,0,128" };

        var command = new Command("eval", "PSNR, SSIM, detail ratio and speed of bicubic and every model family's methods on HR images.")
        {
            data, scales, csv, weights, methods, maxImages, crop, seed, device, precision, steps, half, consistency, figure, figureImage, figureCrop,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var request = new EvaluationRequest(
                parse.GetValue(data)!.FullName,
                ParseList(parse.GetValue(scales)!, ParseScale),
                ParseList(parse.GetValue(methods)!, s => s),
                parse.GetValue(weights) ?? [],
                new SamplingOptions(Seed: parse.GetValue(seed), Steps: parse.GetValue(steps)),
                parse.GetValue(device)!,
                parse.GetValue(half),
                parse.GetValue(maxImages),
                parse.GetValue(crop),
                parse.GetValue(figure) is { } f ? new FigureRequest(f.FullName, parse.GetValue(figureImage), ParseCrop(parse.GetValue(figureCrop)!)) : null,
                parse.GetValue(consistency) == Pipeline.Imaging.Consistency.ConsistencyMode.Enforce,
                TorchPrecisions.Parse(parse.GetValue(precision)!));
            Console.WriteLine(EvaluationRun.Describe(request));
            var rows = EvaluationRun.Run(request, (label, images) => new ImageProgress(new ConsoleProgress(label, images, "images")));
            if (request.Figure is not null) Console.WriteLine($"wrote {request.Figure.Path}");
            EvaluationRow.WriteCsv(parse.GetValue(csv)!.FullName, rows);
            Console.Write(EvaluationRow.Table(rows));
            Console.WriteLine($"wrote {parse.GetValue(csv)!.FullName}");
        }));
        return command;
    }

    /// <summary>A console bar advanced per evaluated image, finished when the method ends.</summary>
    sealed class ImageProgress(ConsoleProgress bar) : IProgress<ImageScore>, IDisposable
    {
        public void Report(ImageScore value) => bar.Advance();

        public void Dispose() => bar.Finish();
    }

    static (int X, int Y, int Size) ParseCrop(string text)
    {
        var parts = text.Split(',');
        return parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)) && int.Parse(parts[2], CultureInfo.InvariantCulture) > 0
            ? (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture))
            : throw new ArgumentException($"--figure-crop: expected X,Y,SIZE (non-negative integers, SIZE > 0), got '{text}'");
    }

    static double ParseScale(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 1
            ? s
            : throw new ArgumentException($"--scales: '{text}' is not a scale >= 1");

    static List<T> ParseList<T>(string text, Func<string, T> parse) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
}
