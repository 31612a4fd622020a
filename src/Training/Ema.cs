using static TorchSharp.torch;

namespace Pipeline.Training;

/// <summary>
/// Exponential moving average of a module's parameters into a shadow module of the same architecture, with the
/// reference's warm-up: decay_n = min(decay, (1 + n) / (10 + n)). Buffers are copied.
/// </summary>
public sealed class Ema(nn.Module source, nn.Module shadow, double decay)
{
    public nn.Module Shadow { get; } = shadow;
    public double Decay { get; } = decay;
    public long Updates { get; set; }

    /// <summary>Makes the shadow an exact copy of the source.</summary>
    public void CopyFromSource()
    {
        using var _ = no_grad();
        var target = Shadow.state_dict();
        foreach (var (name, t) in source.state_dict()) target[name].copy_(t);
    }

    public double Update()
    {
        var d = Math.Min(Decay, (1.0 + Updates) / (10.0 + Updates));
        using var _ = no_grad();
        var target = Shadow.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in source.named_parameters())
            target[name].mul_(d).add_(p.detach(), alpha: 1 - d);
        var buffers = Shadow.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, b) in source.named_buffers()) buffers[name].copy_(b);
        Updates++;
        return d;
    }
}
