using Pipeline.Models.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Models.Families;

/// <summary>A model opened for evaluation on whole images: LR [1, 3, h, w] in [-1, 1] → SR [1, 3, H, W] in [-1, 1]
/// on the geometry's HR grid. Disposing it frees the model.</summary>
public sealed class EvaluationModel(Func<Tensor, TileGeometry, Tensor> upscale, IDisposable owner) : IDisposable
{
    public Tensor Upscale(Tensor lr, TileGeometry geometry) => upscale(lr, geometry);

    public void Dispose() => owner.Dispose();
}
