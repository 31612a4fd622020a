using Pipeline.Imaging.Rasters;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using Pipeline.Models.Idm;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;
using Pipeline.Models.Weights;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

/// <summary>IDM's sampler, weights, catalog entry and trainer (small configuration, random or briefly trained weights).</summary>
public sealed class IdmTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("sr-idm-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static IdmModel RandomSmall(int seed = 1)
    {
        manual_seed(seed);
        return new IdmModel(IdmConfig.Small) { TargetScale = 7.5 };
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(200)]
    [InlineData(2000)]
    public void Ddim_visits_distinct_decreasing_timesteps_from_the_last_one(int steps)
    {
        using var model = RandomSmall();
        var visited = Enumerable.Range(0, steps).Reverse().Select(k => model.Timestep(k, steps)).ToList();
        Assert.Equal(model.Config.DiffusionSteps - 1, visited[0]);
        Assert.Equal(steps, visited.Distinct().Count());
        Assert.True(visited.Zip(visited.Skip(1)).All(p => p.First > p.Second));
        Assert.Equal(model.Config.DiffusionSteps / steps - 1, visited[^1]);
    }

    [Fact]
    public void A_tiles_initial_noise_is_the_crop_of_the_scenes()
    {
        var scene = new TileGeometry(2, 2, 0, 0, 40, 40, 0, 0, 80, 80, 8);
        var tile = new TileGeometry(2, 2, 12, 8, 20, 20, 24, 16, 40, 32, 8);
        using var whole = IdmModel.InitialNoise(scene, 5, 1, CPU);
        using var part = IdmModel.InitialNoise(tile, 5, 1, CPU);
        Assert.True(whole[.., .., 16..48, 24..64].eq(part).all().item<bool>());
        using var other = IdmModel.InitialNoise(tile, 6, 1, CPU);
        Assert.False(other.eq(part).all().item<bool>());
    }

    [Fact]
    public void Sampling_is_a_function_of_the_seed_and_stays_in_range()
    {
        using var model = RandomSmall();
        model.eval();
        using var mode = inference_mode();
        var lr = rand(1, 3, 12, 10) * 2 - 1;
        var geometry = TileGeometry.Whole(10, 12, 24, 32, model.Config.HrAlignment);
        var first = model.Sample(lr, geometry, 3, seed: 4);
        var again = model.Sample(lr, geometry, 3, seed: 4);
        var other = model.Sample(lr, geometry, 3, seed: 5);
        Assert.Equal([1L, 3, 32, 24], first.shape);
        Assert.True(first.eq(again).all().item<bool>());
        Assert.False(first.eq(other).all().item<bool>());
        Assert.True(first.abs().max().item<float>() <= 1);
    }

    [Fact]
    public void Weights_round_trip_and_the_catalog_serves_them_as_idm_with_ddim()
    {
        var path = Path.Combine(root, "idm.safetensors");
        using var model = RandomSmall();
        IdmWeights.Save(model, path);
        using var loaded = IdmWeights.Load(path);
        Assert.Equal(7.5, loaded.TargetScale);
        foreach (var (name, tensor) in model.state_dict()) Assert.True(tensor.eq(loaded.state_dict()[name]).all().item<bool>(), name);

        using var upscaler = (IdmTileUpscaler)ModelCatalog.Resolve(path, new SamplingOptions(Seed: 2, Steps: 2));
        Assert.Equal("idm-small", upscaler.Name);
        Assert.True(upscaler.Serves("idm-small") && upscaler.Serves(""));
        Assert.False(upscaler.Serves("small"));
        Assert.Equal(2, upscaler.Steps);
        Assert.Equal(8, upscaler.HrAlignment);
        var tile = new RasterBlock(new PixelWindow(0, 0, 12, 10), 3);
        for (var i = 0; i < tile.Data.Length; i++) tile.Data[i] = i % 251;
        var output = upscaler.Upscale(tile, 2, new PixelWindow(3, 2, 20, 17));
        Assert.Equal((20, 17), (output.Width, output.Height));
        Assert.All(output.Data, v => Assert.InRange(v, 0, 255));

        var wrongSampler = Assert.Throws<ArgumentException>(() => ModelCatalog.Resolve(path, new SamplingOptions("e2diffsr")));
        Assert.Contains("ddim", wrongSampler.Message);
        Assert.StartsWith(path, wrongSampler.Message);
    }

    [Fact]
    public void Loading_other_weights_as_idm_is_a_one_line_error_naming_the_file()
    {
        var other = Path.Combine(root, "stage1.safetensors");
        ModelWeights.Save(new Stage1.DifferentialAutoencoder(Configuration.SrConfig.Small), other);
        var error = Assert.Throws<ModelWeightsException>(() => IdmWeights.Load(other));
        Assert.Equal($"{other}: holds a 'stage1' model, expected 'idm'", error.Message);

        var renamed = Path.Combine(root, "idm.safetensors");
        using var model = RandomSmall();
        var metadata = ModelWeights.Metadata(IdmWeights.Kind, "small", 1, "0000000000000000");
        SafeTensors.Write(renamed, model.state_dict().Select(kv => (kv.Key, kv.Value)), metadata);
        Assert.Contains("written for IDM config 'small' v1 (arch 0000000000000000)", Assert.Throws<ModelWeightsException>(() => IdmWeights.Load(renamed)).Message);
    }
}
