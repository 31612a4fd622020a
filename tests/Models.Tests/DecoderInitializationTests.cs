using Pipeline.Models.Configuration;
using Pipeline.Models.Geometry;
using Pipeline.Models.Layers;
using Pipeline.Models.Stage1;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

public class DecoderInitializationTests
{
    /// <summary>A fresh stage-1 decoder must output exactly its bicubic skip whatever the latent: training from a
    /// random residual collapsed to bicubic (the residual was fitted to zero before the SR branch learned).</summary>
    [Theory]
    [InlineData("small")]
    [InlineData("paper")]
    public void Fresh_decoder_starts_as_its_bicubic_skip(string config)
    {
        using var ae = new DifferentialAutoencoder(SrConfig.ByName(config));
        Initialization.Reinitialize(ae, 3);
        ae.eval();
        using var _ = inference_mode();
        var lr = TestModels.RandomImage(1, 12, 12, seed: 4);
        var geometry = TileGeometry.Whole(12, 12, 48, 48);
        var z = randn(1, SrConfig.ByName(config).LatentChannels, 6, 6, generator: new Generator().manual_seed(5));

        var output = ae.Decode(z, lr, geometry);
        var bicubic = Resampler.Resize(lr, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic);
        Assert.Equal(0f, (output - bicubic).abs().max().item<float>());
    }
}
