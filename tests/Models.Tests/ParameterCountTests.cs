using Pipeline.Models.Configuration;
using Xunit.Abstractions;

namespace Pipeline.Models.Tests;

/// <summary>
/// Parameter counts against models.md §2 (paper) and §5.2 (small). The spec's numbers are analytic estimates printed
/// in millions with 2 decimals (1 for the totals), so a count passes when it rounds to the printed value: the
/// tolerance is half a unit of the last printed digit (±0.005 M, ±0.05 M for one-decimal totals).
/// </summary>
public class ParameterCountTests(ITestOutputHelper output)
{
    static void Near(string what, long measured, double specMillions, int decimals)
    {
        var tolerance = 0.5 * Math.Pow(10, -decimals) * 1e6;
        Assert.True(Math.Abs(measured - specMillions * 1e6) <= tolerance,
            $"{what}: measured {measured:N0}, spec {specMillions} M (±{tolerance:N0})");
    }

    [Fact]
    public void Paper_config_matches_the_spec()
    {
        var p = ParameterCounts.Measure(SrConfig.Paper);
        output.WriteLine(p.ToString());
        Near("stage-1 encoder + quant conv", p.Encoder, 6.08, 2);
        Near("decoder latent branch", p.DecoderLatentBranch, 0.76, 2);
        Near("decoder SR branch", p.DecoderSrBranch, 6.05, 2);
        Near("CSUM", p.Csum, 0.71, 2);
        Near("4 FRU x 12 IMDB", p.DecoderSrBranch - p.Csum - (3 * 64 * 9 + 64), 5.34, 2);
        Near("CondNet", p.CondNet, 6.07, 2);
        Near("UNet", p.UNet, 18.37, 2);
        Near("inference total", p.Inference, 31.3, 1);
        Near("trainable overall (stage-2 + stage-1 encoder)", p.Inference + p.Encoder, 37.3, 1);
    }

    [Fact]
    public void Small_config_matches_the_spec()
    {
        var p = ParameterCounts.Measure(SrConfig.Small);
        output.WriteLine(p.ToString());
        Near("encoder", p.Encoder, 0.46, 2);
        Near("decoder", p.Decoder, 0.58, 2);
        Near("decoder SR branch", p.DecoderSrBranch, 0.46, 2);
        Near("CondNet", p.CondNet, 0.46, 2);
        Near("UNet", p.UNet, 1.16, 2);
        Near("inference total", p.Inference, 2.2, 1);
        Near("training total", p.Inference + p.Encoder, 2.65, 2);
    }

    [Fact]
    public void Architecture_hashes_differ_between_configs_and_are_stable()
    {
        Assert.NotEqual(SrConfig.Paper.ArchitectureHash, SrConfig.Small.ArchitectureHash);
        Assert.Equal(SrConfig.Small.ArchitectureHash, (SrConfig.Small with { }).ArchitectureHash);
        Assert.Equal(16, SrConfig.Paper.ArchitectureHash.Length);
    }
}
