using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

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
