using Pipeline.Models.Inference;
using Pipeline.Models.Geometry;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Layers;

/// <summary>
/// CSUM (the reference's SADNUpsampler, docs/models.md §1.2 item 3): a ×1, ×2, ×4 (, ×8) pixel-shuffle feature pyramid on
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

    /// <summary>The HR output, computed in bands of rows so that no HR-sized feature map is ever held: each band
    /// resamples only the pyramid rows its bilinear taps read (pyramid levels past the first two are themselves
    /// computed per band from the level below), fuses them and is discarded. Peak memory then depends on the tile's
    /// width, not its area; the result is the same as resampling whole maps (the taps are the same).</summary>
    public Tensor forward(Tensor features, TileGeometry geometry)
    {
        using var scope = NewDisposeScope();
        var r = tensor(new[] { (float)(1.0 / geometry.Scale) }, device: features.device).reshape(1, 1);
        var w = scale_aware_layer.call(r).reshape(levels);
        var pyramid = new Pyramid(this, features);
        var bandRows = BandRows(geometry.HrWidth, features.shape[1] * levels);
        var bands = new List<Tensor>();
        for (var first = 0; first < geometry.HrHeight; first += bandRows)
        {
            var count = Math.Min(bandRows, geometry.HrHeight - first);
            using var bandScope = NewDisposeScope();
            var resized = new List<Tensor>(levels);
            for (var l = 0; l < levels; l++)
            {
                var rows = geometry.PyramidToHrY(l);
                var (start, end) = Resampler.SourceRange(rows, first, count, ResampleKernel.Bilinear);
                var slab = pyramid.Rows(l, start, end);
                var up = Resampler.Resize(slab, Resampler.Sub(rows, first, count, start, end), geometry.PyramidToHrX(l), ResampleKernel.Bilinear);
                // Not in place: an identity resize (level l at exactly the HR size) returns a view of the pyramid itself.
                resized.Add(up * w[l]);
            }
            bands.Add(fuse.call(torch.cat(resized, 1)).MoveToOuterDisposeScope());
        }
        return (bands.Count == 1 ? bands[0] : torch.cat(bands, 2)).MoveToOuterDisposeScope();
    }

    /// <summary>HR rows per band: about 16 MB of concatenated level features per band, at least 8 rows.</summary>
    static int BandRows(int hrWidth, long channels) => (int)Math.Max(8, 16_000_000 / (4 * channels * Math.Max(1, hrWidth)));

    /// <summary>The ×2ˡ feature pyramid, level 1 held whole (a quarter of level 2's size), deeper levels computed for
    /// the rows a band asks for: a ×2 level's rows [s, e) come from the 3×3 conv of the level below over rows
    /// [s/2 − 1, (e − 1)/2 + 2), zero rows outside the map exactly as the conv's own padding would add.</summary>
    sealed class Pyramid(ContinuousScaleUpsampler owner, Tensor level0)
    {
        // Made in the caller's scope, before any band's: it outlives them all.
        readonly Tensor? level1 = owner.levels > 1 ? owner.Up(0).call(level0) : null;

        public Tensor Rows(int level, int start, int end)
        {
            if (level == 0) return level0[.., .., start..end, ..];
            if (level == 1) return level1![.., .., start..end, ..];
            var height = level0.shape[2] << (level - 1);
            var (first, last) = (start / 2, (end - 1) / 2 + 1);
            var (from, to) = ((int)Math.Max(0, first - 1), (int)Math.Min(height, last + 1));
            using var scope = NewDisposeScope();
            var below = Rows(level - 1, from, to);
            var padded = nn.functional.pad(below, [0, 0, from - (first - 1), last + 1 - to]);
            var conv = (Conv2d)owner.Up(level - 1)[0];
            var convolved = Bf16Convolutions.Convolve(padded, conv, x => nn.functional.conv2d(x, conv.weight!, conv.bias, padding: [0, 1]));
            FlopCounter.CountConvolution(conv.weight!, convolved);
            var shuffled = nn.functional.pixel_shuffle(convolved, 2);
            return shuffled[.., .., (start - 2 * first)..(end - 2 * first), ..].MoveToOuterDisposeScope();
        }
    }

    Sequential Up(int level) => (Sequential)UPNet_x2_list[level];
}
