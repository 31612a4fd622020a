using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Models.Inference;

/// <summary>
/// bfloat16 inference the way PyTorch's CPU autocast does it: every convolution's weights are stored in bfloat16 and
/// its input is cast on the way in, its output back to float32 on the way out; normalisation, attention, the sampler's
/// arithmetic and every other op stay in float32. TorchSharp has no autocast, so this is done with forward hooks on
/// the <see cref="Conv2d"/> modules; layers that read a convolution's weight themselves cast their input to the
/// weight's type (<see cref="Layers.RowBands.Conv"/>). Convolutions are nearly all of these models' arithmetic.
/// </summary>
public static class Bf16Convolutions
{
    /// <summary>Converts <paramref name="model"/>'s convolutions in place (once; the model is then for inference only).</summary>
    public static void Apply(nn.Module model)
    {
        foreach (var (_, module) in model.named_modules())
        {
            if (module is not Conv2d conv) continue;
            conv.to(ScalarType.BFloat16);
            conv.register_forward_pre_hook((_, input) => input.dtype == ScalarType.BFloat16 ? input : input.to_type(ScalarType.BFloat16));
            conv.register_forward_hook((_, _, output) => output.to_type(ScalarType.Float32));
        }
    }

    /// <summary>A convolution computed from <paramref name="conv"/>'s weight outside its forward (row bands): the input in
    /// the weight's type, the result in float32.</summary>
    public static Tensor Convolve(Tensor input, Conv2d conv, Func<Tensor, Tensor> convolution)
    {
        var weightType = conv.weight!.dtype;
        if (input.dtype == weightType) return convolution(input);
        using var scope = NewDisposeScope();
        return convolution(input.to_type(weightType)).to_type(input.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Applies the precision to a model (nothing for fp32).</summary>
    public static void Apply(nn.Module model, TorchPrecision precision)
    {
        if (precision == TorchPrecision.Bf16) Apply(model);
    }
}
