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
