using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

/// <summary>A UNet layer that reads the embedding vector.</summary>
public interface IEmbeddingLayer
{
    Tensor Forward(Tensor x, Tensor emb);
}

/// <summary>OpenAI UNet ResBlock: GN → SiLU → conv3×3, + Linear(SiLU(emb)) per channel, GN → SiLU → (zero-initialised)
/// conv3×3, plus an identity or 1×1 skip.</summary>
public sealed class TimestepResBlock : nn.Module, IEmbeddingLayer
{
    readonly Sequential in_layers;
    readonly Sequential emb_layers;
    readonly Sequential out_layers;
    readonly Conv2d? skip_connection;

    public TimestepResBlock(int channels, int embDim, int outChannels, int groups) : base(nameof(TimestepResBlock))
    {
        in_layers = Sequential(Norm.Group(groups, channels), SiLU(), Conv2d(channels, outChannels, 3, padding: 1));
        emb_layers = Sequential(SiLU(), Linear(embDim, outChannels));
        var outConv = Conv2d(outChannels, outChannels, 3, padding: 1);
        ZeroInit.Apply(outConv);
        out_layers = Sequential(Norm.Group(groups, outChannels), SiLU(), Dropout(0), outConv);
        if (channels != outChannels) skip_connection = Conv2d(channels, outChannels, 1);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor emb)
    {
        using var scope = NewDisposeScope();
        var h = in_layers.call(x);
        var e = emb_layers.call(emb);
        h = h + e.reshape(e.shape[0], e.shape[1], 1, 1);
        h = out_layers.call(h);
        var skip = skip_connection is null ? x : skip_connection.call(x);
        return (skip + h).MoveToOuterDisposeScope();
    }
}

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

/// <summary>Stride-2 conv3×3 (padding 1).</summary>
public sealed class UNetDownsample : Module<Tensor, Tensor>
{
    readonly Conv2d op;

    public UNetDownsample(int channels) : base(nameof(UNetDownsample))
    {
        op = Conv2d(channels, channels, 3, stride: 2, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => op.call(x);
}

/// <summary>Nearest ×2 then conv3×3.</summary>
public sealed class UNetUpsample : Module<Tensor, Tensor>
{
    readonly Conv2d conv;

    public UNetUpsample(int channels) : base(nameof(UNetUpsample))
    {
        conv = Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var up = interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        return conv.call(up);
    }
}

/// <summary>A sequence of layers where the embedding-reading ones get the embedding ("TimestepEmbedSequential").
/// Children are named 0, 1, … like the reference.</summary>
public sealed class EmbeddingSequential : nn.Module, IEmbeddingLayer
{
    readonly List<nn.Module> layers = [];

    public EmbeddingSequential(params nn.Module[] modules) : base(nameof(EmbeddingSequential))
    {
        for (var i = 0; i < modules.Length; i++)
        {
            register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), modules[i]);
            layers.Add(modules[i]);
        }
    }

    public Tensor Forward(Tensor x, Tensor emb)
    {
        var h = x;
        foreach (var layer in layers)
            h = layer switch
            {
                IEmbeddingLayer e => e.Forward(h, emb),
                Module<Tensor, Tensor> m => m.call(h),
                _ => throw new InvalidOperationException($"unsupported layer {layer.GetType().Name}"),
            };
        return h;
    }
}

static class ZeroInit
{
    public static void Apply(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var p in module.parameters()) p.zero_();
    }
}
