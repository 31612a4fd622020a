using Pipeline.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Idm;

/// <summary>
/// SR3's ResnetBlocWithAttn: GN → swish → conv3×3, plus Linear(noise embedding) per channel, GN → swish → dropout →
/// conv3×3, plus the (1×1 when the width changes) skip; then, optionally, single-head self-attention over all
/// positions (GN, 1×1 qkv without bias, softmax(qᵀk/√C), 1×1 out, residual).
/// </summary>
public sealed class NoiseResBlock : nn.Module
{
    readonly GroupNorm norm1;
    readonly Conv2d conv1;
    readonly Linear noise_func;
    readonly GroupNorm norm2;
    readonly Dropout dropout;
    readonly Conv2d conv2;
    readonly Conv2d? res_conv;
    readonly GroupNorm? attn_norm;
    readonly Conv2d? attn_qkv;
    readonly Conv2d? attn_out;

    public NoiseResBlock(int inChannels, int outChannels, int embeddingChannels, int groups, double dropout, bool attention)
        : base(nameof(NoiseResBlock))
    {
        norm1 = Norm.Group(groups, inChannels);
        conv1 = Conv2d(inChannels, outChannels, 3, padding: 1);
        noise_func = Linear(embeddingChannels, outChannels);
        norm2 = Norm.Group(groups, outChannels);
        this.dropout = Dropout(dropout);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: 1);
        if (inChannels != outChannels) res_conv = Conv2d(inChannels, outChannels, 1);
        if (attention)
        {
            attn_norm = Norm.Group(groups, outChannels);
            attn_qkv = Conv2d(outChannels, outChannels * 3, 1, bias: false);
            attn_out = Conv2d(outChannels, outChannels, 1);
        }
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor embedding)
    {
        using var scope = NewDisposeScope();
        var h = conv1.call(silu(norm1.call(x)));
        h = h + noise_func.call(embedding).reshape(h.shape[0], -1, 1, 1);
        h = conv2.call(dropout.call(silu(norm2.call(h))));
        h = h + (res_conv is null ? x : res_conv.call(x));
        return (attn_qkv is null ? h : h + Attention(h)).MoveToOuterDisposeScope();
    }

    Tensor Attention(Tensor x)
    {
        var (b, c, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var qkv = attn_qkv!.call(attn_norm!.call(x)).reshape(b, 3, c, height * width).transpose(2, 3); // [B, 3, T, C]
        var parts = qkv.unbind(1);
        var attended = scaled_dot_product_attention(parts[0].unsqueeze(1), parts[1].unsqueeze(1), parts[2].unsqueeze(1));
        return attn_out!.call(attended.squeeze(1).transpose(1, 2).reshape(b, c, height, width));
    }
}
