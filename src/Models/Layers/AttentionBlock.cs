using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

/// <summary>Multi-head self-attention over all positions (OpenAI legacy QKV order), zero-initialised output
/// projection, residual.</summary>
public sealed class AttentionBlock : Module<Tensor, Tensor>
{
    readonly GroupNorm norm;
    readonly Conv1d qkv;
    readonly Conv1d proj_out;
    readonly int heads;

    public AttentionBlock(int channels, int headChannels, int groups) : base(nameof(AttentionBlock))
    {
        heads = Math.Max(1, channels / headChannels);
        norm = Norm.Group(groups, channels);
        qkv = Conv1d(channels, channels * 3, 1);
        proj_out = Conv1d(channels, channels, 1);
        ZeroInit.Apply(proj_out);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (b, c, hgt, wid) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var t = hgt * wid;
        var qkvOut = qkv.call(norm.call(x.reshape(b, c, t))).reshape(b * heads, 3 * c / heads, t);
        var parts = qkvOut.split(c / heads, 1);
        var scale = 1.0 / Math.Sqrt(Math.Sqrt(c / heads));
        var weight = softmax(matmul((parts[0] * scale).transpose(1, 2), parts[1] * scale), -1); // [bh, t, s]
        var attended = matmul(parts[2], weight.transpose(1, 2)).reshape(b, c, t);          // [bh, ch, t]
        return (x + proj_out.call(attended).reshape(b, c, hgt, wid)).MoveToOuterDisposeScope();
    }
}
