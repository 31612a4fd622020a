using Pipeline.Models.Families;
using Pipeline.Models.Geometry;
using Pipeline.Models.Inference;

namespace Pipeline.Training.Evaluation;

/// <summary>
/// <c>sr eval</c> as a library call: every method of the request at every scale, one <see cref="EvaluationRow"/> each
/// (bicubic and hr first at each scale, then the model methods in the request's order). Model methods come from the
/// registered model families (<see cref="ModelCatalog.Families"/>), so a new family is evaluated without a change here.
/// </summary>
public static class EvaluationRun
{
    public const string Hr = "hr";

    /// <summary>hr, bicubic and every family's methods.</summary>
    public static IReadOnlyList<string> Methods => [Hr, ModelCatalog.Bicubic, .. ModelCatalog.Families.SelectMany(f => f.EvaluationMethods)];

    /// <param name="progressFor">A progress sink for one method at one scale (label, image count); disposed when it ends.</param>
    public static IReadOnlyList<EvaluationRow> Run(EvaluationRequest request, Func<string, int, IProgress<ImageScore>>? progressFor = null)
    {
        foreach (var method in request.Methods)
            if (!Methods.Contains(method)) throw new ArgumentException($"--methods: unknown method '{method}' ({string.Join(",", Methods)})");
        TorchThreads.Apply();
        var device = TorchDevices.Parse(request.Device);
        var weights = request.Weights.Select(w => ModelCatalog.WeightsPath(w)).ToList();
        var imageCount = Math.Min(ValidationHalves.Select(ImageFolder.List(request.Folder), request.Half).Count, request.MaxImages);
        var panels = request.Figure is { } figure ? new FigurePanels(figure.ImageName, figure.Crop) : null;
        var rows = new List<EvaluationRow>();
        foreach (var scale in request.Scales)
        {
            var modelRows = new List<EvaluationRow>();
            EvaluationSummary? any = null;
            foreach (var method in request.Methods.Where(m => m is not (Hr or ModelCatalog.Bicubic)))
            {
                var family = ModelCatalog.Families.First(f => f.EvaluationMethods.Contains(method));
                using var model = family.OpenForEvaluation(method, WeightsOf(family, weights, request.Weights.Count == 0), request.Sampling, device, request.Precision);
                var progress = progressFor?.Invoke($"{method} ×{scale}", imageCount);
                var summary = Evaluate(request, model.Upscale, method, scale, progress,
                    scale == request.Scales[0] && panels is not null ? image => panels.Offer(method, image) : null);
                (progress as IDisposable)?.Dispose();
                any ??= summary;
                modelRows.Add(new EvaluationRow(method, scale, summary.Images.Count, summary.MeanPsnr, summary.MeanSsim, summary.MeanDetailRatio, summary.GridRms, summary.SecondsPerMegapixel,
                    summary.MeanInconsistency, summary.MeanGrain, summary.FlaggedShare));
            }
            if (request.Methods.Contains(ModelCatalog.Bicubic) || request.Methods.Contains(Hr))
            {
                // Every model evaluation carries the bicubic baseline of the same LR; evaluate it alone when no model is asked for.
                any ??= Evaluate(request, (lr, geometry) => Resampler.Resize(lr, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic), ModelCatalog.Bicubic, scale, null, null);
                if (request.Methods.Contains(ModelCatalog.Bicubic))
                    rows.Add(new EvaluationRow(ModelCatalog.Bicubic, scale, any.Images.Count, any.MeanBicubicPsnr, any.MeanBicubicSsim, any.MeanBicubicDetailRatio, any.BicubicGridRms, any.BicubicSecondsPerMegapixel,
                        any.MeanBicubicInconsistency, any.MeanBicubicGrain, any.BicubicFlaggedShare));
                // The HR itself: the grid pattern's measurement floor (PSNR undefined).
                if (request.Methods.Contains(Hr))
                    rows.Add(new EvaluationRow(Hr, scale, any.Images.Count, double.NaN, 1, 1, any.HrGridRms, 0));
            }
            rows.AddRange(modelRows);
        }
        if (panels is not null) panels.Save(request.Figure!.Path, request.Figure.Zoom);
        return rows;
    }

    /// <summary>The files among those given that the family holds; with none given, its shipped defaults.</summary>
    static List<string> WeightsOf(IModelFamily family, IReadOnlyList<string> given, bool useDefaults) => useDefaults
        ? [.. family.DefaultEvaluationWeights.Select(w => ModelCatalog.WeightsPath(w))]
        : [.. given.Where(path => family.Holds(Models.Weights.ModelWeights.ReadMetadata(path)))];

    static EvaluationSummary Evaluate(EvaluationRequest request, Func<TorchSharp.torch.Tensor, TileGeometry, TorchSharp.torch.Tensor> upscale,
        string method, double scale, IProgress<ImageScore>? progress, Action<EvaluatedImage>? onImage) =>
        Evaluator.Run(upscale, method, request.Folder, scale, request.MaxImages, progress, request.CentreCrop, request.Half, onImage,
            request.Enforce && method != ModelCatalog.Bicubic);

    /// <summary>The description line printed above the table.</summary>
    public static string Describe(EvaluationRequest request)
    {
        var count = Math.Min(ValidationHalves.Select(ImageFolder.List(request.Folder), request.Half).Count, request.MaxImages);
        return "RGB PSNR/SSIM on uint8-rounded outputs with a border crop of ceil(scale) px; LR = Pillow bicubic (antialiased) " +
               "to floor(size/scale); bicubic = torch bicubic (a = -0.75, no antialias) of the same LR" +
               (request.CentreCrop is int c ? $"; centre {c}x{c} crop of each image" : "; whole images") +
               (request.Half == ValidationHalf.All ? "" : $"; the {request.Half.ToString().ToLowerInvariant()} half ({count} images)") +
               (request.Enforce ? "; model outputs back-projected onto their LR (--consistency enforce)" : "") +
               (request.Precision == TorchPrecision.Fp32 ? "" : $"; model convolutions in {TorchPrecisions.NameOf(request.Precision)}");
    }
}
