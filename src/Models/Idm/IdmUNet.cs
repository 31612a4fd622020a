using Pipeline.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Idm;

/// <summary>
/// IDM's denoiser (model/sr3_modules/unet.py): SR3's UNet on concat(condition, x_t) with a noise-level embedding
/// (WaveGrad positional encoding of the continuous √ᾱ → Linear → swish → Linear), ResBlocks per level, a stride-2
/// conv between levels, a middle block (ResBlock with attention, ResBlock), and a decoder whose every upsampling is
/// an <see cref="ImplicitUpsampler"/> mixed with <see cref="ScaleConditioning"/>; it predicts ε. Inputs are padded to
/// a multiple of 2^(L−1) and the output cropped back.
/// </summary>
public sealed class IdmUNet : nn.Module
{
    readonly Linear noise_mlp_in;
    readonly Linear noise_mlp_out;
    readonly ScaleConditioning conditioning;
    readonly Conv2d conv_in;
    readonly ModuleList<NoiseResBlock> downs;
    readonly ModuleList<Conv2d> downsamplers;
    readonly ModuleList<NoiseResBlock> mid;
    readonly ModuleList<NoiseResBlock> ups;
    readonly ModuleList<ImplicitUpsampler> upsamplers;
    readonly GroupNorm final_norm;
    readonly Conv2d final_conv;
    readonly IdmConfig config;

    public IdmUNet(IdmConfig config) : base(nameof(IdmUNet))
    {
        this.config = config;
        var c = config.Channels;
        var g = config.NormGroups;
        noise_mlp_in = Linear(c, c * 4);
        noise_mlp_out = Linear(c * 4, c);
        conditioning = new ScaleConditioning(config);
        conv_in = Conv2d(6, c, 3, padding: 1);
        downs = new ModuleList<NoiseResBlock>();
        downsamplers = new ModuleList<Conv2d>();
        var skips = new Stack<int>([c]);
        var width = c;
        var levels = config.ChannelMult.Length;
        for (var level = 0; level < levels; level++)
        {
            var output = c * config.ChannelMult[level];
            for (var i = 0; i < config.ResBlocks; i++)
            {
                downs.Add(new NoiseResBlock(width, output, c, g, config.Dropout, config.AttentionLevels.Contains(level)));
                width = output;
                skips.Push(width);
            }
            if (level < levels - 1)
            {
                downsamplers.Add(Conv2d(width, width, 3, stride: 2, padding: 1));
                skips.Push(width);
            }
        }
        mid = new ModuleList<NoiseResBlock>(
            new NoiseResBlock(width, width, c, g, config.Dropout, attention: true),
            new NoiseResBlock(width, width, c, g, config.Dropout, attention: false));
        ups = new ModuleList<NoiseResBlock>();
        upsamplers = new ModuleList<ImplicitUpsampler>();
        for (var level = levels - 1; level >= 0; level--)
        {
            var output = c * config.ChannelMult[level];
            for (var i = 0; i <= config.ResBlocks; i++)
            {
                ups.Add(new NoiseResBlock(width + skips.Pop(), output, c, g, config.Dropout, config.AttentionLevels.Contains(level)));
                width = output;
            }
            if (level > 0) upsamplers.Add(new ImplicitUpsampler(width, config.ImplicitHidden));
        }
        final_norm = Norm.Group(g, width);
        final_conv = Conv2d(width, 3, 3, padding: 1);
        RegisterComponents();
    }

    /// <param name="noisy">x_t [B, 3, H, W].</param>
    /// <param name="condition">The encoder's condition image [B, 3, H, W].</param>
    /// <param name="p">Normalised scales [B].</param>
    /// <param name="gamma">Noise levels √ᾱ [B].</param>
    /// <returns>Predicted ε [B, 3, H, W].</returns>
    public Tensor forward(Tensor noisy, Tensor condition, Tensor p, Tensor gamma)
    {
        using var scope = NewDisposeScope();
        var (height, width) = (noisy.shape[2], noisy.shape[3]);
        var alignment = config.HrAlignment;
        var x = Layers.Padding.ToMultiple(cat([condition, noisy], 1), alignment);
        var embedding = noise_mlp_out.call(silu(noise_mlp_in.call(NoiseLevelEncoding(gamma, config.Channels))));
        var levels = conditioning.forward(x[.., ..3], p.reshape(-1, 1));

        var h = conv_in.call(x);
        var skips = new Stack<Tensor>([h]);
        var block = 0;
        for (var level = 0; level < config.ChannelMult.Length; level++)
        {
            for (var i = 0; i < config.ResBlocks; i++, block++)
            {
                h = downs[block].forward(h, embedding);
                skips.Push(h);
            }
            if (level < config.ChannelMult.Length - 1)
            {
                h = downsamplers[level].call(h);
                skips.Push(h);
            }
        }
        foreach (var m in mid) h = m.forward(h, embedding);
        block = 0;
        var upsampler = 0;
        for (var level = config.ChannelMult.Length - 1; level >= 0; level--)
        {
            for (var i = 0; i <= config.ResBlocks; i++, block++) h = ups[block].forward(cat([h, skips.Pop()], 1), embedding);
            if (level == 0) continue;
            var mix = levels[level - 1];
            var target = skips.Peek();
            h = upsamplers[upsampler++].forward(h, mix.Scale1, mix.Scale2, mix.Shift, target.shape[2], target.shape[3]);
        }
        var output = final_conv.call(silu(final_norm.call(h)));
        return output[.., .., ..(int)height, ..(int)width].MoveToOuterDisposeScope();
    }

    /// <summary>WaveGrad's PositionalEncoding as SR3 uses it: [sin(γ·f_k), cos(γ·f_k)], f_k = 10⁴^(−k/(dim/2)).</summary>
    static Tensor NoiseLevelEncoding(Tensor gamma, int dim)
    {
        var count = dim / 2;
        var frequencies = exp(arange(count, dtype: ScalarType.Float32, device: gamma.device) * (float)(-Math.Log(1e4) / count));
        var arguments = gamma.to_type(ScalarType.Float32).reshape(-1, 1) * frequencies.reshape(1, -1);
        return cat([sin(arguments), cos(arguments)], 1);
    }
}
