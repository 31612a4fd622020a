using Pipeline.Bench;
using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Models.Inference;
using Pipeline.Training.Evaluation;
using Pipeline.Training.Tests.NearestFamily;

namespace Pipeline.Training.Tests;

/// <summary>A model family added from outside the product (<see cref="NearestFamily.NearestFamily"/>, one folder)
/// with one registration line runs everywhere the shipped families do.</summary>
public sealed class NearestFamilyTests : IDisposable
{
    static NearestFamilyTests() => ModelCatalog.Register(new NearestFamily.NearestFamily());

    readonly string folder = Directory.CreateTempSubdirectory("sr-family-").FullName;

    string Weights()
    {
        var path = Path.Combine(folder, "nearest.safetensors");
        NearestFamily.NearestFamily.Save(path);
        return path;
    }

    [Fact]
    public void The_catalogue_recognises_its_weights_and_sampler_and_refuses_another_familys_sampler()
    {
        var weights = Weights();
        Assert.IsType<NearestTileUpscaler>(ModelCatalog.Resolve(weights));
        Assert.IsType<NearestTileUpscaler>(ModelCatalog.Resolve(weights, new SamplingOptions("copy")));
        Assert.Contains("copy", ModelCatalog.Samplers);
        Assert.Equal("nearest", ModelCatalog.FamilyOf(weights).Name);
        var wrong = Assert.Throws<ArgumentException>(() => ModelCatalog.Check(weights, new SamplingOptions("e2diffsr"), "cpu"));
        Assert.StartsWith(weights, wrong.Message);
        Assert.Contains("e2diffsr", wrong.Message);
    }

    [Fact]
    public void A_scene_job_runs_it_and_every_output_pixel_is_the_input_pixel_under_its_centre()
    {
        var scene = TestScenes.Crop("neon_BART_2019_rgb_10cm_1213x1106.tif", 150, 110);
        var output = Path.Combine(folder, "out.tif");
        var result = SceneUpscaleJob.Run(scene, output, 2.5, ModelCatalog.Resolve(Weights()), new SceneUpscaleOptions());
        Assert.True(result.Tiles > 1, "a multi-tile plan, so that blending is exercised");

        using var input = GeoTiffReader.Open(scene);
        using var upscaled = GeoTiffReader.Open(output);
        var lr = input.Read(new PixelWindow(0, 0, input.Info.Width, input.Info.Height));
        var hr = upscaled.Read(new PixelWindow(0, 0, upscaled.Info.Width, upscaled.Info.Height));
        Assert.Equal((375, 275), (hr.Width, hr.Height));
        for (var band = 0; band < hr.Bands; band++)
            for (var y = 0; y < hr.Height; y++)
                for (var x = 0; x < hr.Width; x++)
                    Assert.Equal(lr[band, NearestTileUpscaler.Source(x, 2.5, 0, lr.Width), NearestTileUpscaler.Source(y, 2.5, 0, lr.Height)], hr[band, x, y]);
    }

    [Fact]
    public void Eval_and_the_model_benchmark_measure_it_beside_bicubic()
    {
        var request = new EvaluationRequest(Repository.SharedData("val"), [2], ["bicubic", "nearest"], [Weights()], new SamplingOptions(),
            MaxImages: 2, CentreCrop: 64);
        Assert.Contains("nearest", EvaluationRun.Methods);
        var rows = EvaluationRun.Run(request);
        Assert.Equal(["bicubic", "nearest"], rows.Select(r => r.Method));
        Assert.Equal(2, rows[1].Images);
        Assert.True(rows[1].Psnr < rows[0].Psnr, $"nearest {rows[1].Psnr:F2} dB should trail bicubic {rows[0].Psnr:F2} dB");

        var table = new StringWriter();
        ModelBenchmark.Run(new ModelBenchmarkRequest(Scale: 2, LrTile: 32, Repeats: 1, Families: ["nearest"]), table);
        Assert.Contains("plain   nearest", table.ToString());
        Assert.Contains("(no weights)", table.ToString());
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
