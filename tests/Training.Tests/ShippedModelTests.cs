using Pipeline.Models.Diffusion;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;
using Pipeline.Training.Evaluation;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

/// <summary>
/// The weights the product ships (models/*.safetensors) against bicubic on a few validation images (centre 128² crops
/// of the first images of ../shared/data/val, the same protocol as <c>sr eval</c>). The deterministic file's margins are
/// about 80 % of what these six crops give it (×2 +1.195, ×4 +0.645 dB, 2026-12-06; the output is deterministic), the
/// others' about half, so that they catch a broken, untrained or older model, not noise.
/// </summary>
public class ShippedModelTests
{
    static readonly string ValFolder = Repository.SharedData("val");

    [Theory]
    [InlineData("deterministic-small", 2.0, 1.0)]
    [InlineData("deterministic-small", 4.0, 0.5)]
    [InlineData("e2diffsr-small", 4.0, 0.3)]
    [InlineData("lcmsr-small", 4.0, 0.25)]
    public void Deterministic_path_beats_bicubic(string weights, double scale, double minimumGainDb)
    {
        var summary = Evaluate(weights, scale, new LatentSampling(SamplerKind.Deterministic));
        Assert.True(summary.MeanPsnr - summary.MeanBicubicPsnr >= minimumGainDb, summary.ToString());
    }

    [Theory]
    [InlineData("e2diffsr-small", SamplerKind.E2DiffSR)]
    [InlineData("lcmsr-small", SamplerKind.Lcmsr)]
    public void Samples_keep_more_detail_than_the_deterministic_path_and_stay_close_to_it(string weights, SamplerKind sampler)
    {
        // The deterministic path is the product's default: deterministic-small decoding its CondNet's latent.
        var deterministic = Evaluate("deterministic-small", 4, new LatentSampling(SamplerKind.Deterministic));
        var sampled = Evaluate(weights, 4, new LatentSampling(sampler, Seed: 7));
        Assert.True(sampled.MeanDetailRatio > deterministic.MeanDetailRatio, $"{sampled}\n{deterministic}");
        Assert.True(sampled.MeanPsnr > deterministic.MeanPsnr - 1.5, $"{sampled}\n{deterministic}");
    }

    static EvaluationSummary Evaluate(string weights, double scale, LatentSampling sampling)
    {
        using var resolver = SuperResolver.Load(Repository.Path("models", weights + ".safetensors"), CPU);
        return Evaluator.Run(resolver, ValFolder, scale, sampling, maxImages: 6, centreCrop: 128);
    }
}
