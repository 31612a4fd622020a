using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;
using Pipeline.Models.Stage1;
using Pipeline.Models.Stage2;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

public class ModelShapeTests
{
    public static TheoryData<double> Scales => [1.0, 1.7, 2.0, 3.5, 4.0, 8.0];

    [Theory]
    [MemberData(nameof(Scales))]
    public void Stage1_encodes_to_HR_over_8_and_decodes_to_the_HR_grid(double scale)
    {
        manual_seed(2);
        using var ae = new DifferentialAutoencoder(SrConfig.Small);
        using var _ = no_grad();
        const int lrSize = 13;
        var hrW = (int)Math.Floor(lrSize * scale);
        var hrH = (int)Math.Floor((lrSize - 2) * scale);
        var g = TileGeometry.Whole(lrSize, lrSize - 2, hrW, hrH);
        var lr = TestModels.RandomImage(2, lrSize - 2, lrSize, 1);
        var hr = TestModels.RandomImage(2, hrH, hrW, 2);
        var posterior = ae.Encode(hr, lr, g);
        Assert.Equal(new long[] { 2, 4, hrH / 8, hrW / 8 }, posterior.Mean.shape);
        var x = ae.Decode(posterior.Sample(new Generator().manual_seed(1)), lr, g);
        Assert.Equal(new long[] { 2, 3, hrH, hrW }, x.shape);
        Assert.False(x.isnan().any().item<bool>());
        Assert.Equal(2, posterior.Kl().shape[0]);
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public void Every_sampler_gives_the_HR_grid(double scale)
    {
        using var resolver = new SuperResolver(TestModels.RandomSrModel());
        using var lcm = new SuperResolver(TestModels.RandomSrModel(SecondStageKind.Lcmsr));
        const int lrW = 11, lrH = 9;
        var g = TileGeometry.Whole(lrW, lrH, (int)Math.Floor(lrW * scale), (int)Math.Floor(lrH * scale));
        var lr = TestModels.RandomImage(1, lrH, lrW, 3);
        foreach (var (r, sampler) in new[] { (resolver, SamplerKind.E2DiffSR), (resolver, SamplerKind.Deterministic), (lcm, SamplerKind.Lcmsr) })
        {
            var sr = r.Upscale(lr, g, new LatentSampling(sampler, Seed: 5));
            Assert.Equal(new long[] { 1, 3, g.HrHeight, g.HrWidth }, sr.shape);
            Assert.False(sr.isnan().any().item<bool>(), $"{sampler}: NaN");
            Assert.True(sr.abs().max().item<float>() <= 1f, $"{sampler}: max {sr.abs().max().item<float>()}");
        }
    }

    [Fact]
    public void Scales_beyond_the_training_range_and_non_square_tiles_work()
    {
        using var resolver = new SuperResolver(TestModels.RandomSrModel());
        var lr = TestModels.RandomImage(1, 5, 7, 4);
        var g = new TileGeometry(10.3, 10.3, 100, 40, 7, 5, 1032, 416, 72, 48);
        var sr = resolver.Upscale(lr, g, new LatentSampling(SamplerKind.E2DiffSR, 1));
        Assert.Equal(new long[] { 1, 3, 48, 72 }, sr.shape);
    }

    [Fact]
    public void Paper_config_runs_a_tiny_forward()
    {
        manual_seed(3);
        using var resolver = new SuperResolver(new SrModel(SrConfig.Paper, SecondStageKind.E2DiffSR));
        var lr = TestModels.RandomImage(1, 8, 8, 5);
        var g = TileGeometry.Whole(8, 8, 16, 16);
        var sr = resolver.Upscale(lr, g, new LatentSampling(SamplerKind.E2DiffSR, 1));
        Assert.Equal(new long[] { 1, 3, 16, 16 }, sr.shape);
    }

    [Fact]
    public void A_sampler_the_weights_were_not_trained_for_is_refused()
    {
        using var resolver = new SuperResolver(TestModels.RandomSrModel(SecondStageKind.E2DiffSR));
        var g = TileGeometry.Whole(8, 8, 16, 16);
        var e = Assert.Throws<InvalidOperationException>(() => resolver.Upscale(TestModels.RandomImage(1, 8, 8, 1), g, new LatentSampling(SamplerKind.Lcmsr)));
        Assert.Contains("E2DiffSR", e.Message);
    }
}
