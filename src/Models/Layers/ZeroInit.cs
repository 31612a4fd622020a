using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

/// <summary>Zeroes a module's parameters: the output layers of residual branches start as the identity.</summary>
static class ZeroInit
{
    public static void Apply(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var p in module.parameters()) p.zero_();
    }
}
