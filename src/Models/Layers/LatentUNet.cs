using Pipeline.Models.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

/// <summary>
/// The LDM/OpenAI UNet denoiser of docs/models.md §1.3 with "hybrid_adm" conditioning: input = concat(x_t, c),
/// emb = MLP_t(sin(t)) + MLP_s(sin(scale)) + MLP_o(sin(osize)). Self-attention at the listed downsampling factors
/// and in the middle block. The input is padded to a multiple of 2^(levels−1) (reflect, or replicate when the
/// input is too small to reflect) and the output cropped back.
/// </summary>
public sealed class LatentUNet : nn.Module
{
    readonly Sequential time_embed;
    readonly Sequential scale_embed;
    readonly Sequential osize_embed;
    readonly ModuleList<EmbeddingSequential> input_blocks;
    readonly EmbeddingSequential middle_block;
    readonly ModuleList<EmbeddingSequential> output_blocks;
    readonly Sequential @out;

    public UNetSpec Spec { get; }

    public LatentUNet(UNetSpec spec) : base(nameof(LatentUNet))
    {
        Spec = spec;
        var mc = spec.ModelChannels;
        var embDim = mc * 4;
        var g = spec.NormGroups;
        time_embed = Sequential(Linear(mc, embDim), SiLU(), Linear(embDim, embDim));
        scale_embed = Sequential(Linear(mc, embDim), SiLU(), Linear(embDim, embDim));
        osize_embed = Sequential(Linear(mc, embDim), SiLU(), Linear(embDim, embDim));

        input_blocks = new ModuleList<EmbeddingSequential>();
        input_blocks.Add(new EmbeddingSequential(Conv2d(spec.InChannels, mc, 3, padding: 1)));
        var chans = new List<int> { mc };
        var ch = mc;
        var ds = 1;
        for (var level = 0; level < spec.ChannelMult.Length; level++)
        {
            for (var i = 0; i < spec.NumResBlocks; i++)
            {
                var layers = new List<nn.Module> { new TimestepResBlock(ch, embDim, spec.ChannelMult[level] * mc, g) };
                ch = spec.ChannelMult[level] * mc;
                if (spec.AttentionResolutions.Contains(ds)) layers.Add(new AttentionBlock(ch, spec.HeadChannels, g));
                input_blocks.Add(new EmbeddingSequential([.. layers]));
                chans.Add(ch);
            }
            if (level != spec.ChannelMult.Length - 1)
            {
                input_blocks.Add(new EmbeddingSequential(new UNetDownsample(ch)));
                chans.Add(ch);
                ds *= 2;
            }
        }

        middle_block = new EmbeddingSequential(
            new TimestepResBlock(ch, embDim, ch, g), new AttentionBlock(ch, spec.HeadChannels, g), new TimestepResBlock(ch, embDim, ch, g));

        output_blocks = new ModuleList<EmbeddingSequential>();
        for (var level = spec.ChannelMult.Length - 1; level >= 0; level--)
        {
            for (var i = 0; i <= spec.NumResBlocks; i++)
            {
                var skip = chans[^1];
                chans.RemoveAt(chans.Count - 1);
                var layers = new List<nn.Module> { new TimestepResBlock(ch + skip, embDim, mc * spec.ChannelMult[level], g) };
                ch = mc * spec.ChannelMult[level];
                if (spec.AttentionResolutions.Contains(ds)) layers.Add(new AttentionBlock(ch, spec.HeadChannels, g));
                if (level > 0 && i == spec.NumResBlocks)
                {
                    layers.Add(new UNetUpsample(ch));
                    ds /= 2;
                }
                output_blocks.Add(new EmbeddingSequential([.. layers]));
            }
        }

        var outConv = Conv2d(mc, spec.OutChannels, 3, padding: 1);
        ZeroInit.Apply(outConv);
        @out = Sequential(Norm.Group(g, ch), SiLU(), outConv);
        RegisterComponents();
    }

    /// <param name="x">[B, InChannels, h, w]: noisy latent concatenated with the condition.</param>
    /// <param name="timesteps">[B] integer timesteps (any numeric dtype).</param>
    /// <param name="scale">[B] real scale factors.</param>
    /// <param name="osize">[B] output-size values.</param>
    public Tensor forward(Tensor x, Tensor timesteps, Tensor scale, Tensor osize)
    {
        using var scope = NewDisposeScope();
        var mc = Spec.ModelChannels;
        var emb = time_embed.call(SinusoidalEmbedding.Embed(timesteps, mc))
                  + scale_embed.call(SinusoidalEmbedding.Embed(scale, mc))
                  + osize_embed.call(SinusoidalEmbedding.Embed(osize, mc));

        var (h0, w0) = (x.shape[2], x.shape[3]);
        var h = Padding.ToMultiple(x, 1 << (Spec.ChannelMult.Length - 1));
        var skips = new List<Tensor>();
        foreach (var block in input_blocks)
        {
            h = block.Forward(h, emb);
            skips.Add(h);
        }
        h = middle_block.Forward(h, emb);
        foreach (var block in output_blocks)
        {
            h = cat([h, skips[^1]], 1);
            skips.RemoveAt(skips.Count - 1);
            h = block.Forward(h, emb);
        }
        return @out.call(h)[.., .., ..(int)h0, ..(int)w0].MoveToOuterDisposeScope();
    }
}

/// <summary>Right/bottom padding to a multiple: reflect where the input is large enough, replicate otherwise.</summary>
public static class Padding
{
    public static Tensor ToMultiple(Tensor x, int multiple)
    {
        var h = x.shape[^2];
        var w = x.shape[^1];
        var ph = (multiple - h % multiple) % multiple;
        var pw = (multiple - w % multiple) % multiple;
        if (ph == 0 && pw == 0) return x;
        var mode = ph < h && pw < w ? PaddingModes.Reflect : PaddingModes.Replicate;
        return pad(x, [0, pw, 0, ph], mode);
    }
}
