using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

/// <summary>Contrast-aware channel attention (IMDN): (per-channel std + mean) → 1×1 C→C/r → ReLU → 1×1 → sigmoid,
/// scaling the channels.</summary>
public sealed class ContrastChannelAttention : Module<Tensor, Tensor>
{
    readonly Sequential conv_du;

    public ContrastChannelAttention(int channels, int reduction) : base(nameof(ContrastChannelAttention))
    {
        conv_du = Sequential(
            Conv2d(channels, channels / reduction, 1), ReLU(),
            Conv2d(channels / reduction, channels, 1), Sigmoid());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var mean = x.mean([2, 3], keepdim: true);
        Tensor std;
        using (var deviation = x - mean)
            std = (torch.is_grad_enabled() ? deviation.pow(2) : deviation.pow_(2)).mean([2, 3], keepdim: true).sqrt();
        return (x * conv_du.call(std + mean)).MoveToOuterDisposeScope();
    }
}

/// <summary>Information multi-distillation block (IMDN) with a distillation rate of ¼: three conv3×3 + LReLU(0.05)
/// steps each keep ¼ of the channels and pass ¾ on, a fourth conv gives the last ¼; concat → CCA → 1×1, plus
/// the block input.</summary>
public sealed class Imdb : Module<Tensor, Tensor>
{
    readonly Conv2d c1, c2, c3, c4, c5;
    readonly ContrastChannelAttention cca;
    readonly int distilled, remaining;

    public Imdb(int channels, int ccaReduction) : base(nameof(Imdb))
    {
        distilled = channels / 4;
        remaining = channels - distilled;
        c1 = Conv2d(channels, channels, 3, padding: 1);
        c2 = Conv2d(remaining, channels, 3, padding: 1);
        c3 = Conv2d(remaining, channels, 3, padding: 1);
        c4 = Conv2d(remaining, distilled, 3, padding: 1);
        c5 = Conv2d(channels, channels, 1);
        cca = new ContrastChannelAttention(distilled * 4, ccaReduction);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Without autograd the activations run in place and each step's maps are freed once the next exists: the
        // SR branch runs on the LR tile, which at ×2 is a quarter of the HR tile's pixels but 32 channels deep.
        var inference = !torch.is_grad_enabled();
        long[] split = [distilled, remaining];
        var o1 = leaky_relu(c1.call(x), 0.05, inplace: inference).split(split, 1);
        var o2 = leaky_relu(c2.call(o1[1]), 0.05, inplace: inference).split(split, 1);
        var o3 = leaky_relu(c3.call(o2[1]), 0.05, inplace: inference).split(split, 1);
        var o4 = c4.call(o3[1]);
        var cat = torch.cat([o1[0], o2[0], o3[0], o4], 1);
        if (inference)
            foreach (var t in o1.Concat(o2).Concat(o3).Append(o4)) t.Dispose();
        var attended = cca.call(cat);
        if (inference) cat.Dispose();
        var output = c5.call(attended);
        return (inference ? output.add_(x) : output + x).MoveToOuterDisposeScope();
    }
}

/// <summary>Feature refinement unit: a chain of IMDBs whose outputs are all concatenated → 1×1 + LReLU(0.05) →
/// conv3×3, plus the unit's input.</summary>
public sealed class FeatureRefinementUnit : Module<Tensor, Tensor>
{
    readonly ModuleList<Imdb> IMDB;
    readonly Sequential c;
    readonly Conv2d LR_conv;

    public FeatureRefinementUnit(int channels, int blocks, int ccaReduction) : base(nameof(FeatureRefinementUnit))
    {
        IMDB = new ModuleList<Imdb>();
        for (var i = 0; i < blocks; i++) IMDB.Add(new Imdb(channels, ccaReduction));
        c = Sequential(Conv2d(channels * blocks, channels, 1), LeakyReLU(0.05));
        LR_conv = Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var outputs = new List<Tensor>();
        var h = x;
        foreach (var block in IMDB)
        {
            h = block.call(h);
            outputs.Add(h);
        }
        return (LR_conv.call(c.call(torch.cat(outputs, 1))) + x).MoveToOuterDisposeScope();
    }
}
