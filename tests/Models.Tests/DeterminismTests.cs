using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

public class DeterminismTests
{
    [Theory]
    [InlineData(SecondStageKind.E2DiffSR, SamplerKind.E2DiffSR)]
    [InlineData(SecondStageKind.Lcmsr, SamplerKind.Lcmsr)]
    public void Same_seed_same_output_other_seed_other_output(SecondStageKind kind, SamplerKind sampler)
    {
        using var resolver = new SuperResolver(TestModels.RandomSrModel(kind));
        var lr = TestModels.RandomImage(1, 10, 10, 7);
        var g = TileGeometry.Whole(10, 10, 30, 30);
        var a = resolver.Upscale(lr, g, new LatentSampling(sampler, Seed: 11));
        var b = resolver.Upscale(lr, g, new LatentSampling(sampler, Seed: 11));
        var c = resolver.Upscale(lr, g, new LatentSampling(sampler, Seed: 12));
        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
    }

    [Fact]
    public void Two_models_built_with_the_same_seed_agree()
    {
        using var r1 = new SuperResolver(TestModels.RandomSrModel(seed: 4));
        using var r2 = new SuperResolver(TestModels.RandomSrModel(seed: 4));
        var lr = TestModels.RandomImage(1, 8, 8, 1);
        var g = TileGeometry.Whole(8, 8, 20, 20);
        var opts = new LatentSampling(SamplerKind.E2DiffSR, Seed: 3);
        Assert.True(r1.Upscale(lr, g, opts).eq(r2.Upscale(lr, g, opts)).all().item<bool>());
    }

    [Fact]
    public void The_deterministic_path_ignores_the_seed()
    {
        using var resolver = new SuperResolver(TestModels.RandomSrModel());
        var lr = TestModels.RandomImage(1, 8, 8, 2);
        var g = TileGeometry.Whole(8, 8, 24, 24);
        var a = resolver.Upscale(lr, g, new LatentSampling(SamplerKind.Deterministic, Seed: 1));
        var b = resolver.Upscale(lr, g, new LatentSampling(SamplerKind.Deterministic, Seed: 2));
        Assert.True(a.eq(b).all().item<bool>());
    }

    [Fact]
    public void A_tile_samples_its_crop_of_the_scene_noise()
    {
        // The initial latent noise of a tile whose HR window starts at (48, 24) is the scene's noise at latent (3, 6).
        var resolver = new SuperResolver(TestModels.RandomSrModel());
        var step = resolver.InitialNoiseStep(SamplerKind.E2DiffSR);
        var scene = SceneNoise.Tensor(5, step, 4, [(0L, 0L)], 12, 12, CPU);
        var tile = new TileGeometry(4, 4, 12, 6, 8, 8, 48, 24, 32, 32);
        var tileNoise = SceneNoise.Tensor(5, step, 4, [((long)tile.LatentY, (long)tile.LatentX)], tile.LatentHeight, tile.LatentWidth, CPU);
        Assert.True(tileNoise.eq(scene[.., .., 3..7, 6..10]).all().item<bool>());
    }
}
