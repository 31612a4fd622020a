using Pipeline.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Idm;

/// <summary>StyleGAN2's FusedLeakyReLU: leaky_relu(x + bias, 0.2) · √2, the bias per channel.</summary>
public sealed class FusedLeakyRelu : Module<Tensor, Tensor>
{
    readonly Parameter bias;

    public FusedLeakyRelu(int channels) : base(nameof(FusedLeakyRelu))
    {
        bias = Parameter(zeros(channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        leaky_relu(x + bias.reshape(1, -1, 1, 1), 0.2) * Math.Sqrt(2);
}

/// <summary>StyleGAN2's EqualLinear without activation: weight ~ N(0, 1) scaled by 1/√in at run time, bias filled
/// with a start value (1 for the scale mixing).</summary>
public sealed class EqualLinear : Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter bias;
    readonly double scale;

    public EqualLinear(int inFeatures, int outFeatures, double biasInit) : base(nameof(EqualLinear))
    {
        weight = Parameter(randn(outFeatures, inFeatures));
        bias = Parameter(full(outFeatures, (float)biasInit));
        scale = 1 / Math.Sqrt(inFeatures);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => linear(x, weight * scale, bias);
}

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
