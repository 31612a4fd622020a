using Pipeline.Models.Geometry;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Layers;

/// <summary>
/// CSUM (the reference's SADNUpsampler, models.md §1.2 item 3): a ×1, ×2, ×4 (, ×8) pixel-shuffle feature pyramid on
/// the LR grid, each level bilinearly resampled onto the HR grid and weighted by sigmoid(MLP(1/s)), concatenated
/// and fused by a pixel-wise MLP of 1×1 convs to 3 channels. Any real scale works, including scales above the
/// training range; the HR grid comes from the <see cref="TileGeometry"/>, so tiles are crops of the scene.
/// </summary>
public sealed class ContinuousScaleUpsampler : nn.Module, ISelfInitializing
{
    readonly Sequential UPNet_x2_list;
    readonly Sequential scale_aware_layer;
    readonly Sequential fuse;
    readonly List<Conv2d> hiddenConvs = [];
    readonly int levels;

    public ContinuousScaleUpsampler(int channels, int levels, int hidden, int hiddenLayers, int outChannels = 3)
        : base(nameof(ContinuousScaleUpsampler))
    {
        this.levels = levels;
        UPNet_x2_list = Sequential();
        for (var l = 0; l < levels - 1; l++)
            UPNet_x2_list.append(Sequential(Conv2d(channels, channels * 4, 3, padding: 1), PixelShuffle(2)));
        scale_aware_layer = Sequential(Linear(1, 64), ReLU(), Linear(64, levels), Sigmoid());
        fuse = Sequential();
        var width = channels * levels;
        for (var i = 0; i < hiddenLayers; i++)
        {
            var conv = Conv2d(width, hidden, 1);
            hiddenConvs.Add(conv);
            fuse.append(conv);
            fuse.append(ReLU());
            width = hidden;
        }
        var last = Conv2d(width, outChannels, 1);
        // Start as the bicubic skip: from a random last layer, the L1 fit first shrinks the random residual to zero,
        // which starves the SR branch of gradient (measured: 10⁴× smaller than at the output) and training stalls at
        // bicubic. Initialization.Reinitialize leaves all-zero tensors as they are.
        using (torch.no_grad())
        {
            last.weight!.zero_();
            last.bias!.zero_();
        }
        fuse.append(last);
        Initialize(new Generator());
        RegisterComponents();
    }

    /// <summary>He (fan-in, ReLU gain) normal weights and zero biases for the hidden 1×1 layers. With PyTorch's default
    /// (gain 1/√3 and random biases) each hidden layer shrank the spatial signal about 2× against a growing constant
    /// offset (measured: 30:1 after four layers), and the zero-initialised output layer then had nothing spatial to
    /// learn from for the first ~50–100 steps.</summary>
    public void Initialize(Generator generator)
    {
        using var _ = torch.no_grad();
        foreach (var conv in hiddenConvs)
        {
            var weight = conv.weight!;
            var fanIn = weight.numel() / weight.shape[0];
            weight.copy_(randn(weight.shape, generator: generator) * Math.Sqrt(2.0 / fanIn));
            conv.bias!.zero_();
        }
    }

    /// <summary>The final 1×1 conv's weight (the "last layer" of the adaptive GAN weight).</summary>
    public Tensor LastLayerWeight => ((Conv2d)fuse.children().Last()).weight!;

    public Tensor forward(Tensor features, TileGeometry geometry)
    {
        using var scope = NewDisposeScope();
        var r = tensor(new[] { (float)(1.0 / geometry.Scale) }, device: features.device).reshape(1, 1);
        var w = scale_aware_layer.call(r).reshape(levels);
        var pyramid = features;
        var resized = new List<Tensor>(levels);
        for (var l = 0; l < levels; l++)
        {
            if (l > 0) pyramid = ((Module<Tensor, Tensor>)UPNet_x2_list[l - 1]).call(pyramid);
            var up = Resampler.Resize(pyramid, geometry.PyramidToHrY(l), geometry.PyramidToHrX(l), ResampleKernel.Bilinear);
            resized.Add(up * w[l]);
        }
        return fuse.call(torch.cat(resized, 1)).MoveToOuterDisposeScope();
    }
}
