using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

/// <summary>
/// Without autograd the model runs differently: HR-sized maps by row bands (GroupNorm statistics of the whole map),
/// activations in place, intermediates freed early, block outputs written over their inputs. With autograd it runs
/// the plain whole-map form (training's). Both must give the same result, at scales where a CSUM pyramid level lands
/// exactly on the HR grid (×2, ×4: an identity resize that returns a view of the pyramid) and at awkward ones, on
/// tiles large enough for the bands to be used.
/// </summary>
public class InferencePathTests
{
    [Theory]
    [InlineData(100, 88, 2.0, "small")]
    [InlineData(100, 90, 4.0, "small")]
    [InlineData(96, 80, 2.37, "small")]
    [InlineData(60, 50, 7.3, "small")]
    [InlineData(40, 44, 4.0, "paper")] // a 4-level CSUM: levels 2 and 3 computed per band, over two bands
    public void Inference_equals_the_autograd_path(int lrWidth, int lrHeight, double scale, string config)
    {
        using var model = TestModels.RandomSrModel(SecondStageKind.E2DiffSR, Configuration.SrConfig.ByName(config), seed: 4);
        model.eval();
        var lr = TestModels.RandomImage(1, lrHeight, lrWidth, seed: 9);
        var geometry = new TileGeometry(scale, scale, 0, 0, lrWidth, lrHeight, 0, 0,
            (int)Math.Ceiling(lrWidth * scale / 8) * 8, (int)Math.Ceiling(lrHeight * scale / 8) * 8);
        Assert.True(32L * geometry.HrWidth * geometry.HrHeight > 4 << 20 || scale < 3 || config == "paper", "the CondNet's first level should go by bands");

        Tensor Run()
        {
            var lrUp = Resampler.Resize(lr, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic);
            var c = model.CondNet.call(lrUp);
            return model.Decoder.forward(model.PostQuantConv.call(c), lr, geometry);
        }

        Tensor reference;
        using (enable_grad()) reference = Run().detach();
        Tensor inference;
        using (inference_mode()) inference = Run().clone();

        var difference = (reference - inference).abs().max().item<float>();
        Assert.True(difference < 1e-4, $"max |difference| {difference}");
    }
}
