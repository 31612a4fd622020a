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
