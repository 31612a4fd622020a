using Pipeline.Models.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Layers;

/// <summary>
/// The LDM-style encoder of docs/models.md §1.2 ("GAPEncoder"): conv_in, per level <c>NumResBlocks</c> ResnetBlocks
/// and a stride-2 downsample (not after the last level), two middle blocks, GN → swish → conv_out.
/// Output: 2·z channels (mean, log-variance) when <c>DoubleZ</c>, else z, at input / 2^(levels−1).
/// Used as the stage-1 encoder (6-ch input) and the stage-2 LR conditioning network (3-ch input).
/// </summary>
public sealed class LatentEncoder : Module<Tensor, Tensor>
{
    public sealed class Level : Module<Tensor, Tensor>
    {
        readonly ModuleList<ResnetBlock> block;
        readonly Downsample? downsample;

        public Level(int inChannels, int outChannels, int blocks, bool down, int groups) : base("Level")
        {
            block = new ModuleList<ResnetBlock>();
            for (var i = 0; i < blocks; i++) block.Add(new ResnetBlock(i == 0 ? inChannels : outChannels, outChannels, groups));
            if (down) downsample = new Downsample(outChannels);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var h = x;
            foreach (var b in block) h = b.call(h);
            return downsample is null ? h : downsample.call(h);
        }

        /// <summary>The level on an input the caller discards (see <see cref="ResnetBlock.Consume"/>); without autograd
        /// every intermediate is freed as soon as the next exists.</summary>
        public Tensor Consume(Tensor x)
        {
            var h = x;
            foreach (var b in block) h = Replace(h, b.Consume(h));
            return downsample is null ? h : Replace(h, downsample.call(h));
        }
    }

    public sealed class Middle : Module<Tensor, Tensor>
    {
        readonly ResnetBlock block_1;
        readonly ResnetBlock block_2;

        public Middle(int channels, int groups) : base("Middle")
        {
            block_1 = new ResnetBlock(channels, channels, groups);
            block_2 = new ResnetBlock(channels, channels, groups);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var h = block_1.call(x);
            return torch.is_grad_enabled() ? block_2.call(h) : Replace(h, block_2.Consume(h));
        }
    }

    readonly Conv2d conv_in;
    readonly ModuleList<Level> down;
    readonly Middle mid;
    readonly GroupNorm norm_out;
    readonly Conv2d conv_out;

    public EncoderSpec Spec { get; }

    public LatentEncoder(EncoderSpec spec) : base(nameof(LatentEncoder))
    {
        Spec = spec;
        conv_in = Conv2d(spec.InChannels, spec.Channels, 3, padding: 1);
        down = new ModuleList<Level>();
        var ch = spec.Channels;
        for (var i = 0; i < spec.ChannelMult.Length; i++)
        {
            var outCh = spec.Channels * spec.ChannelMult[i];
            down.Add(new Level(ch, outCh, spec.NumResBlocks, i != spec.ChannelMult.Length - 1, spec.NormGroups));
            ch = outCh;
        }
        mid = new Middle(ch, spec.NormGroups);
        norm_out = Norm.Group(spec.NormGroups, ch, 1e-6);
        conv_out = Conv2d(ch, spec.DoubleZ ? 2 * spec.LatentChannels : spec.LatentChannels, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = conv_in.call(x);
        if (torch.is_grad_enabled())
        {
            foreach (var level in down) h = level.call(h);
            h = mid.call(h);
        }
        else
        {
            foreach (var level in down) h = level.Consume(h);
            h = Replace(h, mid.call(h));
        }
        return conv_out.call(silu(norm_out.call(h))).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="next"/>, freeing <paramref name="previous"/> (unless a consumed block returned it as
    /// <paramref name="next"/>): for inference only, where no autograd graph holds it. The first level's maps are at
    /// the input's full (HR) resolution.</summary>
    internal static Tensor Replace(Tensor previous, Tensor next)
    {
        if (!ReferenceEquals(previous, next)) previous.Dispose();
        return next;
    }
}
