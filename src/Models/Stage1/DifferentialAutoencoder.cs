using Pipeline.Models.Configuration;
using Pipeline.Models.Geometry;
using Pipeline.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Stage1;

/// <summary>
/// Stage 1, the "differential-prior" KL autoencoder: the encoder sees concat(bicubic↑LR, HR) at HR resolution and
/// gives a 4-channel latent at HR/8; the decoder reconstructs HR from that latent and the LR image (see
/// <see cref="Stage1Decoder"/>). Images are in [-1, 1].
/// </summary>
public sealed class DifferentialAutoencoder : nn.Module
{
    readonly LatentEncoder encoder;
    readonly Conv2d quant_conv;
    readonly Conv2d post_quant_conv;
    readonly Stage1Decoder decoder;

    public SrConfig Config { get; }

    public DifferentialAutoencoder(SrConfig config) : base(nameof(DifferentialAutoencoder))
    {
        Config = config;
        var z = config.LatentChannels;
        encoder = new LatentEncoder(config.Encoder);
        quant_conv = Conv2d(2 * z, 2 * z, 1);
        post_quant_conv = Conv2d(z, z, 1);
        decoder = new Stage1Decoder(config.Decoder, z);
        RegisterComponents();
    }

    public LatentEncoder Encoder => encoder;
    public Conv2d PostQuantConv => post_quant_conv;
    public Stage1Decoder Decoder => decoder;

    /// <summary>Posterior of the latent of an HR image given its LR version.</summary>
    public DiagonalGaussian Encode(Tensor hr, Tensor lr, TileGeometry geometry) => new(Moments(hr, lr, geometry));

    /// <summary>Encoder output after quant_conv: [B, 2z, H/8, W/8] (mean, log-variance).</summary>
    public Tensor Moments(Tensor hr, Tensor lr, TileGeometry geometry)
    {
        using var scope = NewDisposeScope();
        var lrUp = Resampler.Resize(lr, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic);
        return quant_conv.call(encoder.call(torch.cat([lrUp, hr], 1))).MoveToOuterDisposeScope();
    }

    /// <summary>HR image on the geometry's HR grid from a latent (before post_quant_conv) and the LR image.</summary>
    public Tensor Decode(Tensor z, Tensor lr, TileGeometry geometry)
    {
        using var scope = NewDisposeScope();
        return decoder.forward(post_quant_conv.call(z), lr, geometry).MoveToOuterDisposeScope();
    }
}
