using Pipeline.Client;
using Pipeline.Imaging;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Inference;
using Pipeline.Models.Weights;

namespace Pipeline.Models.Tests;

/// <summary>How <c>--model</c>/<c>--sampler</c> become an upscaler, with a weights file of random small-config weights.</summary>
public sealed class ModelCatalogTests : IDisposable
{
    readonly string weightsPath = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.safetensors");

    public ModelCatalogTests()
    {
        using var model = TestModels.RandomSrModel(SecondStageKind.E2DiffSR);
        ModelWeights.Save(model, weightsPath);
    }

    [Fact]
    public void A_weights_file_loads_as_a_torch_upscaler_that_runs_one_tile_at_a_time()
    {
        var upscaler = ModelCatalog.Resolve(weightsPath, new SamplingOptions(SamplerKind.E2DiffSR, Seed: 5));
        using var latent = Assert.IsType<LatentTileUpscaler>(upscaler);
        Assert.Equal("e2diffsr-small", latent.Name);
        Assert.Equal(1, ModelCatalog.ParallelTilesFor(upscaler));

        var tiling = ModelCatalog.TilingFor(upscaler, null, null);
        Assert.Equal(ModelCatalog.TorchTileSize, tiling.TileSize);
        Assert.True(tiling.Overlap > 2 * upscaler.EdgeMargin);

        var lr = new RasterBlock(new PixelWindow(0, 0, 24, 24), 3, Enumerable.Range(0, 3 * 24 * 24).Select(i => (float)(i * 7 % 256)).ToArray());
        var hr = upscaler.Upscale(lr, 2, new PixelWindow(0, 0, 48, 48));
        Assert.Equal(48 * 48 * 3, hr.Data.Length);
        Assert.All(hr.Data, v => Assert.InRange(v, 0, 255));
    }

    [Fact]
    public void A_sampler_the_weights_were_not_trained_for_is_rejected_before_any_tile()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.Resolve(weightsPath, new SamplingOptions(SamplerKind.Lcmsr)));
        Assert.StartsWith(weightsPath, error.Message);
    }

    [Fact]
    public void Bicubic_keeps_its_tiling_and_parallelism_and_unknown_names_list_the_choices()
    {
        var bicubic = ModelCatalog.Resolve("bicubic");
        Assert.IsType<BicubicUpscaler>(bicubic);
        Assert.Equal(new Imaging.Tiling.TilingOptions(), ModelCatalog.TilingFor(bicubic, null, null));
        Assert.Equal(Environment.ProcessorCount, ModelCatalog.ParallelTilesFor(bicubic));

        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.WeightsPath("no-such-model", SamplerKind.Deterministic));
        Assert.Contains("bicubic", error.Message);
    }

    public void Dispose() => File.Delete(weightsPath);
}
