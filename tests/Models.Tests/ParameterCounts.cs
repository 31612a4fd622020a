using Pipeline.Models.Configuration;
using Pipeline.Models.Stage1;
using Pipeline.Models.Stage2;
using TorchSharp;

namespace Pipeline.Models.Tests;

/// <summary>Parameter counts of each part of a configuration, measured on freshly built modules.</summary>
sealed record ParameterCounts(
    long Encoder, long DecoderLatentBranch, long DecoderSrBranch, long Csum, long CondNet, long UNet)
{
    /// <summary>Decoder with its post-quant conv (latent branch + SR branch incl. CSUM).</summary>
    public long Decoder => DecoderLatentBranch + DecoderSrBranch;

    /// <summary>CondNet + UNet + decoder: what inference loads.</summary>
    public long Inference => CondNet + UNet + Decoder;

    /// <summary>Stage-1 encoder (with quant conv) + decoder.</summary>
    public long Stage1 => Encoder + Decoder;

    public static long Count(torch.nn.Module module) => module.parameters().Sum(p => p.numel());

    public static ParameterCounts Measure(SrConfig config)
    {
        using var ae = new DifferentialAutoencoder(config);
        using var sr = new SrModel(config, Diffusion.SecondStageKind.E2DiffSR);
        var encoder = ae.named_parameters().Where(p => p.name.StartsWith("encoder.") || p.name.StartsWith("quant_conv.")).Sum(p => p.parameter.numel());
        var decoderParams = ae.named_parameters().Where(p => p.name.StartsWith("decoder.") || p.name.StartsWith("post_quant_conv.")).ToList();
        static bool IsSrBranch(string n) => n.StartsWith("decoder.head.") || n.StartsWith("decoder.FRUList.") || n.StartsWith("decoder.upsampler.");
        var srBranch = decoderParams.Where(p => IsSrBranch(p.name)).Sum(p => p.parameter.numel());
        var latent = decoderParams.Where(p => !IsSrBranch(p.name)).Sum(p => p.parameter.numel());
        var csum = decoderParams.Where(p => p.name.StartsWith("decoder.upsampler.")).Sum(p => p.parameter.numel());
        return new ParameterCounts(encoder, latent, srBranch, csum, Count(sr.CondNet), Count(sr.UNet));
    }
}
