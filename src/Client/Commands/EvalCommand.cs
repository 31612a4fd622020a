using System.CommandLine;
using System.Globalization;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Idm;
using Pipeline.Models.Inference;
using Pipeline.Training;
using Pipeline.Training.Evaluation;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>eval --data … --scales 2,4 --csv …</c>: bicubic and the model's samplers on a folder of HR images (LR made by
/// Pillow-exact antialiased bicubic downsampling), one row per method and scale, printed and written as CSV.
/// </summary>
static class EvalCommand
{
    static readonly string[] AllMethods = ["hr", ModelCatalog.Bicubic, .. ModelCatalog.Samplers, Idm];

    const string Idm = "idm";

    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder of HR images (PNG/JPEG, searched recursively)", Required = true };
        var scales = new Option<string>("--scales") { Description = "Comma-separated scales, e.g. 2,2.5,4", DefaultValueFactory = _ => "2,4" };
        var csv = new Option<FileInfo>("--csv") { Description = "CSV output: method,scale,images,psnr,ssim,detail_ratio,grid_rms_dn,sec_per_mp", Required = true };
        var weights = new Option<string[]>("--weights")
        {
            Description = "Model names or weights files (default: the shipped deterministic-small, e2diffsr-small and lcmsr-small); deterministic uses the first, each sampler the first of the others trained for it (else the first)",
            AllowMultipleArgumentsPerToken = true,
        };
        var methods = new Option<string>("--methods") { Description = "Comma-separated subset of " + string.Join(",", AllMethods), DefaultValueFactory = _ => string.Join(",", AllMethods) };
        var maxImages = new Option<int>("--max-images") { Description = "Evaluate only the first N images (sorted by path)", DefaultValueFactory = _ => int.MaxValue };
        var crop = new Option<int?>("--crop") { Description = "Evaluate the centre N×N crop of each HR image (faster)" };
        var seed = new Option<ulong>("--seed") { Description = "Noise seed of the e2diffsr / lcmsr / idm samples", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var idm = new Option<string>("--idm") { Description = "The idm method's model: a shipped IDM name or weights file", DefaultValueFactory = _ => "idm-small" };
        var steps = new Option<int>("--steps") { Description = "The idm method's DDIM steps", DefaultValueFactory = _ => IdmTileUpscaler.DefaultSteps };
        var half = new Option<ValidationHalf>("--half")
        {
            Description = "all, tune (images at even positions in path order: choose settings here) or report (odd positions: report figures here)",
            DefaultValueFactory = _ => ValidationHalf.All,
        };

        var figure = new Option<FileInfo?>("--figure") { Description = "Also write a PNG of one image's crop at the first scale: bicubic, then each model method, then HR, side by side (×2 pixel zoom)" };
        var figureImage = new Option<string?>("--figure-image") { Description = "File name of the figure's image (default: the first evaluated)" };
        var figureCrop = new Option<string>("--figure-crop") { Description = "X,Y,SIZE of the figure's HR crop", DefaultValueFactory = _ => "0,0,128" };

        var command = new Command("eval", "PSNR, SSIM, detail ratio and speed of bicubic, the model's samplers and IDM on HR images.")
        {
            data, scales, csv, weights, methods, maxImages, crop, seed, device, idm, steps, half, figure, figureImage, figureCrop,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var chosen = ParseList(parse.GetValue(methods)!, s => AllMethods.Contains(s) ? s : throw new ArgumentException($"--methods: unknown method '{s}'"));
            var scaleList = ParseList(parse.GetValue(scales)!, ParseScale);
            var resolvers = LoadResolvers(parse.GetValue(weights) is { Length: > 0 } w ? w : ["deterministic-small", "e2diffsr-small", "lcmsr-small"],
                TorchDevices.Parse(parse.GetValue(device)!));
            using var idmModel = chosen.Contains(Idm)
                ? IdmWeights.Load(ModelCatalog.WeightsPath(parse.GetValue(idm)!, SamplerKind.Deterministic), TorchDevices.Parse(parse.GetValue(device)!))
                : null;
            idmModel?.eval();
            var folder = parse.GetValue(data)!.FullName;
            var part = parse.GetValue(half);
            var imageCount = Math.Min(ValidationHalves.Select(ImageFolder.List(folder), part).Count, parse.GetValue(maxImages));
            var rows = new List<EvaluationRow>();
            var panels = parse.GetValue(figure) is null ? null : new FigurePanels(parse.GetValue(figureImage), ParseCrop(parse.GetValue(figureCrop)!));
            Console.WriteLine("RGB PSNR/SSIM on uint8-rounded outputs with a border crop of ceil(scale) px; LR = Pillow bicubic (antialiased) " +
                              "to floor(size/scale); bicubic = torch bicubic (a = -0.75, no antialias) of the same LR" +
                              (parse.GetValue(crop) is int c ? $"; centre {c}x{c} crop of each image" : "; whole images") +
                              (part == ValidationHalf.All ? "" : $"; the {part.ToString().ToLowerInvariant()} half ({imageCount} images)"));
            try
            {
                foreach (var scale in scaleList)
                {
                    var modelRows = new List<EvaluationRow>();
                    EvaluationSummary? any = null;
                    foreach (var method in chosen.Where(m => m is not ("bicubic" or "hr")))
                    {
                        var progress = new ConsoleProgress($"{method} ×{scale}", imageCount, "images");
                        Func<TorchSharp.torch.Tensor, Models.Geometry.TileGeometry, TorchSharp.torch.Tensor> upscale;
                        if (method == Idm)
                        {
                            upscale = (lr, geometry) =>
                            {
                                using var mode = TorchSharp.torch.inference_mode();
                                return idmModel!.Sample(lr.to(idmModel.Encoder.parameters().First().device), geometry, parse.GetValue(steps), parse.GetValue(seed));
                            };
                        }
                        else
                        {
                            var sampler = ModelCatalog.ParseSampler(method);
                            var resolver = sampler == SamplerKind.Deterministic ? resolvers[0]
                                : resolvers.Skip(1).FirstOrDefault(r => r.NativeSampler == sampler)
                                  ?? (resolvers[0].NativeSampler == sampler ? resolvers[0] : throw new ArgumentException($"no {method} weights among --weights"));
                            var sampling = new SamplingOptions(sampler, parse.GetValue(seed));
                            upscale = (lr, geometry) => resolver.Upscale(lr, geometry, sampling);
                        }
                        var summary = Evaluator.Run(upscale, method, folder, scale, parse.GetValue(maxImages),
                            progress: new Progress<ImageScore>(_ => progress.Advance()), centreCrop: parse.GetValue(crop), half: part,
                            onImage: scale == scaleList[0] ? image => panels?.Offer(method, image) : null);
                        progress.Finish();
                        any ??= summary;
                        modelRows.Add(new EvaluationRow(method, scale, summary.Images.Count, summary.MeanPsnr, summary.MeanSsim, summary.MeanDetailRatio, summary.GridRms, summary.SecondsPerMegapixel));
                    }
                    if (chosen.Contains("bicubic") || chosen.Contains("hr"))
                    {
                        // Every model evaluation carries the bicubic baseline of the same LR; evaluate it alone when no model is asked for.
                        any ??= Evaluator.Run(resolvers[0], folder, scale, new SamplingOptions(SamplerKind.Deterministic), parse.GetValue(maxImages), centreCrop: parse.GetValue(crop), half: part);
                        if (chosen.Contains("bicubic"))
                            rows.Add(new EvaluationRow("bicubic", scale, any.Images.Count, any.MeanBicubicPsnr, any.MeanBicubicSsim, any.MeanBicubicDetailRatio, any.BicubicGridRms, any.BicubicSecondsPerMegapixel));
                        // The HR itself: the grid pattern's measurement floor (PSNR undefined).
                        if (chosen.Contains("hr"))
                            rows.Add(new EvaluationRow("hr", scale, any.Images.Count, double.NaN, 1, 1, any.HrGridRms, 0));
                    }
                    rows.AddRange(modelRows);
                }
            }
            finally
            {
                foreach (var r in resolvers) r.Dispose();
            }
            if (panels is not null)
            {
                ComparisonFigure.Save(parse.GetValue(figure)!.FullName, panels.InOrder(), zoom: 2);
                Console.WriteLine($"wrote {parse.GetValue(figure)!.FullName}: {panels.Describe()}");
            }
            EvaluationRow.WriteCsv(parse.GetValue(csv)!.FullName, rows);
            Console.Write(EvaluationRow.Table(rows));
            Console.WriteLine($"wrote {parse.GetValue(csv)!.FullName}");
        }));
        return command;
    }

    static List<SuperResolver> LoadResolvers(IEnumerable<string> models, TorchSharp.torch.Device device)
    {
        TorchThreads.Apply();
        return models.Select(m => SuperResolver.Load(ModelCatalog.WeightsPath(m, SamplerKind.Deterministic), device)).ToList();
    }

    static (int X, int Y, int Size) ParseCrop(string text)
    {
        var parts = text.Split(',');
        return parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)) && int.Parse(parts[2], CultureInfo.InvariantCulture) > 0
            ? (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture))
            : throw new ArgumentException($"--figure-crop: expected X,Y,SIZE (non-negative integers, SIZE > 0), got '{text}'");
    }

    /// <summary>The figure's crops: bicubic and HR from the first method that evaluates the chosen image, each method's output.</summary>
    sealed class FigurePanels(string? imageName, (int X, int Y, int Size) crop)
    {
        readonly List<(string Label, RgbImage Crop)> outputs = [];
        RgbImage? bicubic, hr;
        string? chosenName;

        public void Offer(string method, EvaluatedImage image)
        {
            chosenName ??= imageName ?? image.Hr.Name;
            if (image.Hr.Name != chosenName) return;
            if (crop.X + crop.Size > image.Hr.Width || crop.Y + crop.Size > image.Hr.Height)
                throw new ArgumentException($"--figure-crop {crop.X},{crop.Y},{crop.Size} is outside {chosenName} ({image.Hr.Width}x{image.Hr.Height})");
            RgbImage Cut(RgbImage i) => i.Crop(crop.X, crop.Y, crop.Size, crop.Size);
            bicubic ??= Cut(image.Bicubic);
            hr ??= Cut(image.Hr);
            outputs.Add((method, Cut(image.Output)));
        }

        public IReadOnlyList<RgbImage> InOrder() => bicubic is null || hr is null
            ? throw new ArgumentException($"--figure: image '{imageName}' was not among the evaluated images")
            : [bicubic, .. outputs.Select(o => o.Crop), hr];

        public string Describe() => $"{chosenName} crop {crop.X},{crop.Y} {crop.Size}² HR px: bicubic | {string.Join(" | ", outputs.Select(o => o.Label))} | HR";
    }

    static double ParseScale(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 1
            ? s
            : throw new ArgumentException($"--scales: '{text}' is not a scale >= 1");

    static List<T> ParseList<T>(string text, Func<string, T> parse) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
}
