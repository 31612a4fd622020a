using Pipeline.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Idm;

/// <summary>
/// StyleGAN2's discriminator conv layer ("StyleLayer"): an equalised 3×3 conv (weight ~ N(0, 1) scaled by
/// 1/√(in·k²)), optionally preceded by the [1, 3, 1] blur and run with stride 2, then either FusedLeakyReLU (its bias
/// replaces the conv's) or nothing (the conv keeps its bias).
/// </summary>
public sealed class StyleLayer : Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter? bias;
    readonly FusedLeakyRelu? activate;
    readonly double scale;
    readonly bool downsample;

    public StyleLayer(int inChannels, int outChannels, bool downsample, bool activate) : base(nameof(StyleLayer))
    {
        weight = Parameter(randn(outChannels, inChannels, 3, 3));
        if (activate) this.activate = new FusedLeakyRelu(outChannels);
        else bias = Parameter(zeros(outChannels));
        scale = 1 / Math.Sqrt(inChannels * 9);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var input = downsample ? Blur(x) : x;
        var output = conv2d(input, weight * scale, bias, strides: [downsample ? 2 : 1], padding: [1]);
        FlopCounter.CountConvolution(weight, output);
        return (activate is null ? output : activate.call(output)).MoveToOuterDisposeScope();
    }

    /// <summary>upfirdn2d with the normalised outer product of [1, 3, 1] and one pixel of zero padding per side.</summary>
    static Tensor Blur(Tensor x)
    {
        var taps = tensor(new float[] { 1, 3, 1 }, device: x.device) / 5;
        var kernel = outer(taps, taps).reshape(1, 1, 3, 3).expand(x.shape[1], 1, 3, 3);
        var blurred = conv2d(x, kernel, padding: [1], groups: x.shape[1]);
        FlopCounter.CountConvolution(kernel, blurred);
        return blurred;
    }
}
