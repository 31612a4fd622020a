using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Stage2;

/// <summary>
/// Everything inference needs, as one module (and one weights file): the stage-1 decoder with its post-quant conv,
/// the LR conditioning network and the (EMA) UNet, plus the latent scale factor. Stage-2 training (E²DiffSR or
/// LCMSR) trains <c>cond_net</c> and <c>unet</c> in place and keeps the decoder frozen.
/// </summary>
public sealed class SrModel : nn.Module
{
    readonly Conv2d post_quant_conv;
    readonly Stage1Decoder decoder;
    readonly LatentEncoder cond_net;
    readonly LatentUNet unet;

    public SrModel(SrConfig config, SecondStageKind kind) : base(nameof(SrModel))
    {
        Config = config;
        Kind = kind;
        post_quant_conv = Conv2d(config.LatentChannels, config.LatentChannels, 1);
        decoder = new Stage1Decoder(config.Decoder, config.LatentChannels);
        cond_net = new LatentEncoder(config.CondNet);
        unet = new LatentUNet(config.UNet);
        RegisterComponents();
    }

    public SrConfig Config { get; }
    public SecondStageKind Kind { get; }

    /// <summary>x0 = ScaleFactor · z: 1 / std of stage-1 latents, measured when stage 2 starts.</summary>
    public double ScaleFactor { get; set; } = 1.0;

    public Conv2d PostQuantConv => post_quant_conv;
    public Stage1Decoder Decoder => decoder;
    public LatentEncoder CondNet => cond_net;
    public LatentUNet UNet => unet;
}
