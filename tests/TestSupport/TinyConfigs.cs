using Pipeline.Models.Configuration;
using Pipeline.Models.Idm;

namespace Pipeline.TestSupport;

/// <summary>The configurations of the reference-code fixtures in tests/Models.Tests/Data (src/Bench/Reference:
/// ldcsr_modules.py "tiny", idm_reference.py "tiny"): small enough to commit, with every kind of layer.</summary>
public static class TinyConfigs
{
    public static SrConfig Sr { get; } = new(
        Name: "tiny",
        Version: 1,
        Encoder: new EncoderSpec(6, 8, [1, 2, 2, 2], 1, 4, DoubleZ: true, NormGroups: 4),
        Decoder: new DecoderSpec(8, [1, 1, 1, 1], 1, [1, 1, 1, 1], CcaReduction: 4, CsumLevels: 3, CsumHidden: 16, CsumHiddenLayers: 4, NormGroups: 4),
        CondNet: new EncoderSpec(3, 8, [1, 2, 2, 2], 1, 4, DoubleZ: false, NormGroups: 4),
        UNet: new UNetSpec(8, 4, 8, [1, 2], 1, [2], HeadChannels: 8, NormGroups: 4),
        DiffusionSteps: 4, BetaStart: 0.1, BetaEnd: 0.99,
        ConsistencySteps: 1000, ConsistencyBetaStart: 0.0015, ConsistencyBetaEnd: 0.0155, ConsistencyGap: 250,
        OsizeConstant: 64);

    /// <summary>The same with the fixed-×4 first stage (s1_v6_fixed_scale), as LCMSR was published.</summary>
    public static SrConfig SrX4 { get; } = Sr with { Name = "tiny-x4", Decoder = Sr.Decoder with { FixedScale = 4 } };

    public static IdmConfig Idm { get; } = new("tiny", 1, EdsrBlocks: 2, EdsrChannels: 16, Channels: 16, ChannelMult: [1, 2, 2], ResBlocks: 1,
        AttentionLevels: [1], NormGroups: 4, Dropout: 0, ImplicitHidden: 256, DiffusionSteps: 2000, BetaStart: 1e-6, BetaEnd: 1e-2,
        MaxScale: 8, ResidualTarget: false);
}
