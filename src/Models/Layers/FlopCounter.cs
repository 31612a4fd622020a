using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Models.Layers;

/// <summary>
/// Counts the floating-point operations of the convolutions and linear layers of a module while it runs
/// (forward hooks; FLOP = 2 × multiply-accumulates, bias ignored). Attention products, normalisation, activations and
/// resampling are not counted: in these models they are a few percent of the work, so the count is a slight
/// underestimate. Convolutions the inference path runs as functional calls on a layer's weights (row bands, the CSUM's
/// per-band pyramid levels) report themselves through <see cref="CountConvolution"/> to the counter active on the
/// thread. Dispose to remove the hooks.
/// </summary>
public sealed class FlopCounter : IDisposable
{
    [ThreadStatic] static FlopCounter? active;
    readonly FlopCounter? previous;
    readonly List<Action> removeHooks = [];

    /// <summary>Adds a functional convolution's FLOPs to the counter active on this thread, if any.</summary>
    internal static void CountConvolution(Tensor weight, Tensor output)
    {
        if (active is { } counter) counter.Flops += 2.0 * output.numel() * weight.shape[1] * weight.shape[2] * weight.shape[3];
    }

    /// <summary>Adds a functional matrix product's FLOPs (<paramref name="outputs"/> values, each an inner product of
    /// <paramref name="inner"/> terms) to the counter active on this thread, if any.</summary>
    internal static void CountProduct(long outputs, long inner)
    {
        if (active is { } counter) counter.Flops += 2.0 * outputs * inner;
    }

    public FlopCounter(nn.Module model)
    {
        previous = active;
        active = this;
        foreach (var module in model.modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    {
                        var handle = conv.register_forward_hook((_, input, output) =>
                        {
                            var perOutput = input.shape[1] / conv.groups * conv.weight!.shape[2] * conv.weight.shape[3];
                            Flops += 2.0 * output.numel() * perOutput;
                            return output;
                        });
                        removeHooks.Add(() => handle.remove());
                        break;
                    }
                case Linear linear:
                    {
                        var handle = linear.register_forward_hook((_, input, output) =>
                        {
                            Flops += 2.0 * output.numel() * input.shape[^1];
                            return output;
                        });
                        removeHooks.Add(() => handle.remove());
                        break;
                    }
            }
        }
    }

    public double Flops { get; private set; }

    public void Dispose()
    {
        active = previous;
        foreach (var remove in removeHooks) remove();
    }
}
