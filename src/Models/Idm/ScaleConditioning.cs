using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Models.Idm;

/// <summary>
/// IDM's scale-adaptive conditioning: a StyleGAN2-discriminator branch over the condition image (a StyleLayer, then a
/// blurred stride-2 StyleLayer per level) gives a "shift" map per UNet level, and EqualLinear(1 → C) twice (bias
/// initialised to 1) maps the normalised scale p to (s₁, s₂). Only the levels that an implicit upsampler reads are
/// built (1 … L−1): the reference also builds level 0's and one more downsampling layer, which its forward computes
/// and never uses.
/// </summary>
public sealed class ScaleConditioning : nn.Module
{
    readonly StyleLayer conv_body_first;
    readonly ModuleList<StyleLayer> conv_body_down;
    readonly ModuleList<EqualLinear> condition_scale1;
    readonly ModuleList<EqualLinear> condition_scale2;
    readonly ModuleList<StyleLayer> condition_shift;

    public ScaleConditioning(IdmConfig config) : base(nameof(ScaleConditioning))
    {
        var widths = config.ChannelMult.Select(m => m * config.Channels).ToArray();
        conv_body_first = new StyleLayer(3, config.Channels, downsample: false, activate: true);
        conv_body_down = new ModuleList<StyleLayer>();
        condition_scale1 = new ModuleList<EqualLinear>();
        condition_scale2 = new ModuleList<EqualLinear>();
        condition_shift = new ModuleList<StyleLayer>();
        for (var level = 1; level < widths.Length; level++)
        {
            var below = level >= 2 ? widths[level - 2] : config.Channels;
            conv_body_down.Add(new StyleLayer(below, widths[level - 1], downsample: true, activate: true));
            condition_scale1.Add(new EqualLinear(1, widths[level], biasInit: 1));
            condition_scale2.Add(new EqualLinear(1, widths[level], biasInit: 1));
            condition_shift.Add(new StyleLayer(widths[level - 1], widths[level], downsample: false, activate: false));
        }
        RegisterComponents();
    }

    /// <param name="condition">The condition image [B, 3, H, W].</param>
    /// <param name="p">Normalised scales [B, 1].</param>
    /// <returns>Levels 1 … L−1, coarsest last.</returns>
    public IReadOnlyList<LevelConditioning> forward(Tensor condition, Tensor p)
    {
        var levels = new List<LevelConditioning>();
        var feature = conv_body_first.call(condition);
        for (var k = 0; k < conv_body_down.Count; k++)
        {
            feature = conv_body_down[k].call(feature);
            levels.Add(new LevelConditioning(condition_scale1[k].call(p), condition_scale2[k].call(p), condition_shift[k].call(feature)));
        }
        return levels;
    }
}
