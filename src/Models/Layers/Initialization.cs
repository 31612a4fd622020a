using static TorchSharp.torch;

namespace Pipeline.Models.Layers;

/// <summary>
/// Seeded re-initialisation with a private generator (the global torch RNG is shared by every thread): conv and
/// linear weights and their biases ~ U(−1/√fan_in, 1/√fan_in) (PyTorch's default bound); parameters that are all
/// zeros (zero-initialised output layers) or 1-D all ones (norm weights) are kept, and modules with a deliberate
/// initialisation of their own (<see cref="ISelfInitializing"/>) redo it with the same generator.
/// </summary>
public static class Initialization
{
    public static void Reinitialize(nn.Module module, long seed)
    {
        using var _ = no_grad();
        var generator = new Generator().manual_seed(seed);
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in parameters)
        {
            if (p.eq(0).all().item<bool>() || (p.dim() == 1 && p.eq(1).all().item<bool>())) continue;
            long fanIn;
            if (p.dim() >= 2) fanIn = p.numel() / p.shape[0];
            else if (name.EndsWith(".bias") && parameters.TryGetValue(name[..^5] + ".weight", out var w) && w.dim() >= 2) fanIn = w.numel() / w.shape[0];
            else fanIn = Math.Max(1, p.numel());
            var bound = 1.0 / Math.Sqrt(fanIn);
            p.copy_(rand(p.shape, generator: generator) * (2 * bound) - bound);
        }
        foreach (var self in module.named_modules().Select(m => m.module).Prepend(module).Distinct().OfType<ISelfInitializing>())
            self.Initialize(generator);
    }
}

/// <summary>A module whose parameters need an initialisation other than PyTorch's default.</summary>
public interface ISelfInitializing
{
    void Initialize(Generator generator);
}
