namespace Pipeline.Training.Evaluation;

/// <summary>The comparison figure's crops: bicubic and HR from the first method that evaluates the chosen image, then
/// each method's output.</summary>
/// <param name="imageName">File name of the figure's image; null: the first evaluated.</param>
public sealed class FigurePanels(string? imageName, (int X, int Y, int Size) crop)
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

    /// <summary>Writes the figure: bicubic, each method, HR, side by side.</summary>
    public void Save(string path, int zoom) => ComparisonFigure.Save(path, InOrder(), zoom);
}
