using Pipeline.Models.Inference;

namespace Pipeline.Training.Evaluation;

/// <summary>What <c>sr eval</c> measures: methods (hr, bicubic and the model families' methods) at scales on a
/// folder of HR images.</summary>
/// <param name="Weights">Model names or weights files; each family's methods use the files it holds, in order. Empty:
/// every family's shipped defaults.</param>
/// <param name="Sampling">Seed and steps of the sampled methods (the sampler is the method).</param>
/// <param name="Figure">Also write a comparison PNG of one image's crop at the first scale.</param>
/// <param name="Precision">The number format of the models' convolutions.</param>
/// <param name="Enforce">Back-project every model output onto its LR first (<c>--consistency enforce</c>), as a job would.</param>
public sealed record EvaluationRequest(
    string Folder,
    IReadOnlyList<double> Scales,
    IReadOnlyList<string> Methods,
    IReadOnlyList<string> Weights,
    SamplingOptions Sampling,
    string Device = "cpu",
    ValidationHalf Half = ValidationHalf.All,
    int MaxImages = int.MaxValue,
    int? CentreCrop = null,
    FigureRequest? Figure = null,
    bool Enforce = false,
    TorchPrecision Precision = TorchPrecision.Fp32);

/// <param name="ImageName">File name of the figure's image; null: the first evaluated.</param>
public sealed record FigureRequest(string Path, string? ImageName, (int X, int Y, int Size) Crop, int Zoom = 2);
