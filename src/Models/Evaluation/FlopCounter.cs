using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Models.Evaluation;

/// <summary>
/// Counts the floating-point operations of the convolutions and linear layers of a module while it runs
/// (forward hooks; FLOP = 2 × multiply-accumulates, bias ignored). Attention products, normalisation, activations and
/// resampling are not counted: in these models they are a few percent of the work, so the count is a slight
/// underestimate. Dispose to remove the hooks.
/// </summary>
public sealed class FlopCounter : IDisposable
{
    readonly List<Action> removeHooks = [];

    public FlopCounter(nn.Module model)
    {
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
        foreach (var remove in removeHooks) remove();
    }
}
