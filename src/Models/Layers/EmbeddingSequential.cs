using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

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
