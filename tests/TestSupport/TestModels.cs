using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Layers;
using Pipeline.Models.Stage2;
using static TorchSharp.torch;

namespace Pipeline.TestSupport;

public static class TestModels
{
    /// <summary>A small-config inference model with seeded random weights. The zero-initialised layers (UNet output
    /// conv, attention projections) get small random values too, so that the UNet output depends on its input.</summary>
    public static SrModel RandomSrModel(SecondStageKind kind = SecondStageKind.E2DiffSR, SrConfig? config = null, long seed = 1)
    {
        var model = new SrModel(config ?? SrConfig.Small, kind) { ScaleFactor = 0.9 };
        Initialization.Reinitialize(model, seed);
        Perturb(model, seed);
        return model;
    }

    public static void Perturb(nn.Module model, long seed)
    {
        using var _ = no_grad();
        var g = new Generator().manual_seed(seed);
        foreach (var p in model.parameters())
            if (p.abs().max().item<float>() == 0) p.copy_(randn(p.shape, generator: g) * 0.02);
    }

    public static Tensor RandomImage(int batch, int height, int width, long seed) =>
        rand(batch, 3, height, width, generator: new Generator().manual_seed(seed)) * 2 - 1;
}
