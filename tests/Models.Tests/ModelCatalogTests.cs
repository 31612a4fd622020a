using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;
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
        var upscaler = ModelCatalog.Resolve(weightsPath, new SamplingOptions("e2diffsr", Seed: 5));
        using var latent = Assert.IsType<LatentTileUpscaler>(upscaler);
        Assert.Equal("e2diffsr-small", latent.Name);
        Assert.Equal(1, ModelCatalog.ParallelTilesFor(upscaler));

        var tiling = Imaging.Tiling.TilingOptions.For(upscaler, 4);
        Assert.Equal(324, tiling.TileSize); // 1296 HR px at ×4
        Assert.Equal(648, Imaging.Tiling.TilingOptions.For(upscaler, 1.5).TileSize); // at most 648 LR px
        var tooLarge = Assert.Throws<ArgumentException>(() => Imaging.Tiling.TilingOptions.For(upscaler, 4, tileSize: 600));
        Assert.Contains("--tile 448", tooLarge.Message);
        Assert.True(tiling.Overlap > 2 * upscaler.EdgeMargin);

        var lr = new RasterBlock(new PixelWindow(0, 0, 24, 24), 3, Enumerable.Range(0, 3 * 24 * 24).Select(i => (float)(i * 7 % 256)).ToArray());
        var hr = upscaler.Upscale(lr, 2, new PixelWindow(0, 0, 48, 48));
        Assert.Equal(48 * 48 * 3, hr.Data.Length);
        Assert.All(hr.Data, v => Assert.InRange(v, 0, 255));
    }

    [Fact]
    public void A_sampler_the_weights_were_not_trained_for_is_rejected_before_any_tile()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.Resolve(weightsPath, new SamplingOptions("lcmsr")));
        Assert.StartsWith(weightsPath, error.Message);
    }

    [Fact]
    public void Bicubic_keeps_its_tiling_and_parallelism_and_unknown_names_list_the_choices()
    {
        var bicubic = ModelCatalog.Resolve("bicubic");
        Assert.IsType<BicubicUpscaler>(bicubic);
        // Exact crops: only the margins and a hard seam overlap (docs/tiling.md).
        Assert.Equal(new Imaging.Tiling.TilingOptions(Overlap: 5, HardSeams: true), Imaging.Tiling.TilingOptions.For(bicubic, 2));
        Assert.Equal(Environment.ProcessorCount, ModelCatalog.ParallelTilesFor(bicubic));

        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.WeightsPath("no-such-model"));
        Assert.Contains("bicubic", error.Message);
    }

    [Fact]
    public void A_tile_brings_its_scenes_levels_which_act_as_the_upscalers_own_would()
    {
        var levels = new ValueRange(100, 4095);
        using var general = (LatentTileUpscaler)ModelCatalog.Resolve(weightsPath);
        using var configured = (LatentTileUpscaler)ModelCatalog.Resolve(weightsPath, levels: levels);
        var lr = new RasterBlock(new PixelWindow(8, 16, 24, 24), 3, Enumerable.Range(0, 3 * 24 * 24).Select(i => (float)(100 + i * 37 % 4000)).ToArray());
        var window = new PixelWindow(16, 32, 48, 48);

        var withTileLevels = ((ITileUpscaler)general).Upscale(lr, 2, window, levels);
        Assert.Equal(configured.Upscale(lr, 2, window).Data, withTileLevels.Data);
        Assert.NotEqual(general.Upscale(lr, 2, window).Data, withTileLevels.Data);
        Assert.Throws<ArgumentException>(() => ((ITileUpscaler)general).Upscale(lr, 2, window, default));
    }

    [Theory]
    [InlineData(SamplerKind.Deterministic, "deterministic-small")]
    [InlineData(SamplerKind.E2DiffSR, "e2diffsr-small")]
    [InlineData(SamplerKind.Lcmsr, "lcmsr-small")]
    public void The_shipped_model_takes_the_weights_file_of_its_sampler(SamplerKind sampler, string file)
    {
        var path = ModelCatalog.WeightsPath(ModelCatalog.ShippedModel, LatentSampling.NameOf(sampler));
        Assert.Equal(file + ".safetensors", Path.GetFileName(path));
        Assert.True(File.Exists(path), path);
    }

    [Theory]
    [InlineData("", "deterministic-small", true)]
    [InlineData("small", "deterministic-small", true)]
    [InlineData("deterministic-small", "deterministic-small", true)]
    [InlineData("bicubic", "deterministic-small", false)]
    [InlineData("paper", "deterministic-small", false)]
    [InlineData("mall", "deterministic-small", false)]
    public void A_job_names_the_running_model_by_full_name_config_name_or_nothing(string requested, string running, bool served)
    {
        using var upscaler = new LatentTileUpscaler(new SuperResolver(TestModels.RandomSrModel()), ownsResolver: true);
        Assert.Equal(running, upscaler.Name);
        Assert.Equal(served, upscaler.Serves(requested));
    }

    [Fact]
    public void The_upscalers_answer_to_the_names_the_catalog_gives_them()
    {
        using var latent = (LatentTileUpscaler)ModelCatalog.Resolve(weightsPath);
        ITileUpscaler bicubic = new BicubicUpscaler();

        Assert.True(latent.Serves("small") && latent.Serves("") && latent.Serves(latent.Name));
        Assert.False(latent.Serves("bicubic"));
        Assert.True(bicubic.Serves("bicubic") && bicubic.Serves(""));
        Assert.False(bicubic.Serves("small"));
    }

    [Fact]
    public void Sampler_names_parse_back_to_their_sampler()
    {
        Assert.Equal(["deterministic", "e2diffsr", "lcmsr", "ddim", "ddim-reference"], ModelCatalog.Samplers);
        foreach (var sampler in Enum.GetValues<SamplerKind>())
            Assert.Equal(sampler, LatentSampling.Parse(LatentSampling.NameOf(sampler)));
        Assert.Equal(SamplerKind.Lcmsr, LatentSampling.Parse(" LCM "));
        Assert.Equal(SamplerKind.Deterministic, LatentSampling.Parse(""));
        Assert.Contains("deterministic | e2diffsr | lcmsr", Assert.Throws<ArgumentException>(() => LatentSampling.Parse("ddim")).Message);
    }

    public void Dispose() => File.Delete(weightsPath);
}
