using Pipeline.Models.Configuration;
using Pipeline.Models.Geometry;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Layers;

/// <summary>
/// Stage-1 decoder (docs/models.md §1.2, "GAPDecoder"): the latent branch stays on the latent grid (conv_in, two middle
/// blocks, then per level ResnetBlocks and a 1×1 transfer conv whose output is nearest-resampled to the LR grid);
/// the SR branch runs on the LR grid (head conv, then per level scale-modulated fusion with the latent features and
/// an FRU); CSUM maps the result onto the HR grid and a bicubic upsampling of the LR is added.
/// Input z is the post-quant latent; output is in [-1, 1] (unclamped) on the geometry's HR grid.
/// With <see cref="DecoderSpec.FixedScale"/> it is the reference's fixed-scale decoder instead (s1_v6_fixed_scale):
/// additive fusion (no scale layers) and a pixel-shuffle tail, at that one scale.
/// </summary>
public sealed class Stage1Decoder : nn.Module
{
    public sealed class Level : nn.Module
    {
        internal readonly ModuleList<ResnetBlock> block;
        internal readonly Conv2d transfer;
        internal readonly Linear? condition_scale1;
        internal readonly Linear? condition_scale2;

        public Level(int inChannels, int outChannels, int blocks, int channels, int groups, bool scaleModulated) : base("Level")
        {
            block = new ModuleList<ResnetBlock>();
            for (var i = 0; i < blocks; i++) block.Add(new ResnetBlock(i == 0 ? inChannels : outChannels, outChannels, groups));
            transfer = Conv2d(outChannels, channels, 1);
            if (scaleModulated)
            {
                condition_scale1 = Linear(1, channels);
                condition_scale2 = Linear(1, channels);
            }
            // Start with the LR path open and the latent path silent. IDM's EqualLinear starts both mixing vectors at
            // bias 1 (â = b̂ = 1/√2 for every channel and scale); PyTorch's default U(±1) gives about half the
            // channels â < 0, and the LeakyReLU(0.01) after the mix then drops their LR features at each of the four
            // levels. The transfer conv starts at zero (ReZero-style) so the latent branch's arbitrary offsets cannot
            // switch LR channels off either; it still gets gradient through b̂. Measured on the small config (z = 0,
            // ×2, 75 steps): with either default the SR branch stayed exactly at bicubic; with both it gains at once.
            // Initialization.Reinitialize keeps all-zero and all-one tensors.
            using (torch.no_grad())
            {
                foreach (var linear in new[] { condition_scale1, condition_scale2 }.OfType<Linear>())
                {
                    linear.weight!.zero_();
                    linear.bias!.fill_(1);
                }
                transfer.weight!.zero_();
                transfer.bias!.zero_();
            }
            RegisterComponents();
        }
    }

    readonly Conv2d head;
    readonly ModuleList<FeatureRefinementUnit> FRUList;
    readonly nn.Module upsampler;
    readonly Conv2d conv_in;
    readonly LatentEncoder.Middle mid;
    readonly ModuleList<Level> up;

    public DecoderSpec Spec { get; }

    public Stage1Decoder(DecoderSpec spec, int latentChannels, int imageChannels = 3) : base(nameof(Stage1Decoder))
    {
        Spec = spec;
        var levels = spec.ChannelMult.Length;
        if (spec.ImdbPerFru.Length != levels) throw new ArgumentException("one FRU per decoder level is required");
        head = Conv2d(imageChannels, spec.Channels, 3, padding: 1);
        FRUList = new ModuleList<FeatureRefinementUnit>();
        foreach (var n in spec.ImdbPerFru) FRUList.Add(new FeatureRefinementUnit(spec.Channels, n, spec.CcaReduction));
        upsampler = spec.FixedScale > 0
            ? PixelShuffleUpsampler.Create(spec.FixedScale, spec.Channels, imageChannels)
            : new ContinuousScaleUpsampler(spec.Channels, spec.CsumLevels, spec.CsumHidden, spec.CsumHiddenLayers, imageChannels);

        var blockIn = spec.Channels * spec.ChannelMult[^1];
        conv_in = Conv2d(latentChannels, blockIn, 3, padding: 1);
        mid = new LatentEncoder.Middle(blockIn, spec.NormGroups);
        var levelsByIndex = new Level[levels];
        for (var i = levels - 1; i >= 0; i--)
        {
            var blockOut = spec.Channels * spec.ChannelMult[i];
            levelsByIndex[i] = new Level(blockIn, blockOut, spec.NumResBlocks, spec.Channels, spec.NormGroups, scaleModulated: spec.FixedScale == 0);
            blockIn = blockOut;
        }
        up = new ModuleList<Level>(levelsByIndex);
        RegisterComponents();
    }

    public Tensor forward(Tensor z, Tensor lr, TileGeometry geometry)
    {
        using var scope = NewDisposeScope();
        if (Spec.FixedScale > 0 && geometry.Scale != Spec.FixedScale)
            throw new ArgumentException($"this model's decoder is fixed at ×{Spec.FixedScale} (the reference's s1_v6_fixed_scale); it cannot upscale ×{geometry.Scale:G4}");
        var scale = tensor(new[] { (float)geometry.Scale }, device: lr.device).reshape(1, 1);

        // Latent branch, processed from the deepest level up; h_k on the LR grid.
        var h = mid.call(conv_in.call(z));
        var latentFeatures = new List<(Tensor H, Level L)>();
        for (var i = up.Count - 1; i >= 0; i--)
        {
            var level = up[i];
            foreach (var b in level.block) h = b.call(h);
            var transferred = level.transfer.call(h);
            latentFeatures.Add((Resampler.Resize(transferred, geometry.LatentToLrY((int)z.shape[2]), geometry.LatentToLrX((int)z.shape[3]), ResampleKernel.Nearest), level));
        }

        // SR branch on the LR grid.
        // Without autograd each level's maps are freed once the next level's exist (32 channels on the LR tile each).
        var inference = !torch.is_grad_enabled();
        var features = head.call(lr);
        for (var k = 0; k < FRUList.Count; k++)
        {
            var (hk, level) = latentFeatures[k];
            var fused = level.condition_scale1 is { } scale1
                ? ScaleModulatedFusion.Fuse(features, hk, scale1, level.condition_scale2!, scale)
                : features + hk;
            var refined = FRUList[k].call(fused);
            if (inference) foreach (var t in new[] { features, hk, fused }) t.Dispose();
            features = refined;
        }

        var bicubic = Resampler.Resize(lr, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic);
        var residual = upsampler is ContinuousScaleUpsampler csum
            ? csum.forward(features, geometry)
            : PixelShuffleUpsampler.OnGrid(((Sequential)upsampler).call(features), geometry, Spec.FixedScale);
        return (residual + bicubic).MoveToOuterDisposeScope();
    }
}
