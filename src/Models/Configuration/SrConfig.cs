using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Models.Configuration;

/// <summary>
/// One complete model configuration (both stages and LCMSR). <see cref="Paper"/> reproduces the official
/// E²DiffSR configs (docs/models.md §5.1); <see cref="Small"/> is the CPU "small-A" variant (§5.2).
/// The architecture fields feed <see cref="ArchitectureHash"/>, which every weights file records.
/// </summary>
public sealed record SrConfig(
    string Name,
    int Version,
    EncoderSpec Encoder,
    DecoderSpec Decoder,
    EncoderSpec CondNet,
    UNetSpec UNet,
    int DiffusionSteps,
    double BetaStart,
    double BetaEnd,
    int ConsistencySteps,
    double ConsistencyBetaStart,
    double ConsistencyBetaEnd,
    int ConsistencyGap,
    double OsizeConstant)
{
    /// <summary>Latent channels (embed_dim); the latent grid is HR/8.</summary>
    public int LatentChannels => Encoder.LatentChannels;

    /// <summary>HR pixels per latent cell (f = 8 for both configs).</summary>
    public int DownFactor => 1 << (Encoder.ChannelMult.Length - 1);

    public static SrConfig Paper { get; } = new(
        Name: "paper",
        Version: 1,
        Encoder: new EncoderSpec(6, 64, [1, 2, 2, 4], 2, 4, DoubleZ: true, NormGroups: 32),
        Decoder: new DecoderSpec(64, [1, 1, 1, 1], 2, [12, 12, 12, 12], CcaReduction: 16,
            CsumLevels: 4, CsumHidden: 256, CsumHiddenLayers: 4, NormGroups: 32),
        CondNet: new EncoderSpec(3, 64, [1, 2, 2, 4], 2, 4, DoubleZ: false, NormGroups: 32),
        UNet: new UNetSpec(8, 4, 64, [1, 2, 2, 4], 2, [8], HeadChannels: 32, NormGroups: 32),
        DiffusionSteps: 4, BetaStart: 0.1, BetaEnd: 0.99,
        ConsistencySteps: 1000, ConsistencyBetaStart: 0.0015, ConsistencyBetaEnd: 0.0155, ConsistencyGap: 250,
        OsizeConstant: 256);

    public static SrConfig Small { get; } = new(
        Name: "small",
        Version: 1,
        Encoder: new EncoderSpec(6, 32, [1, 2, 2, 2], 1, 4, DoubleZ: true, NormGroups: 8),
        Decoder: new DecoderSpec(32, [1, 1, 1, 1], 1, [3, 3, 3, 3], CcaReduction: 8,
            CsumLevels: 3, CsumHidden: 64, CsumHiddenLayers: 4, NormGroups: 8),
        CondNet: new EncoderSpec(3, 32, [1, 2, 2, 2], 1, 4, DoubleZ: false, NormGroups: 8),
        UNet: new UNetSpec(8, 4, 32, [1, 2, 2], 1, [4], HeadChannels: 32, NormGroups: 8),
        DiffusionSteps: 4, BetaStart: 0.1, BetaEnd: 0.99,
        ConsistencySteps: 1000, ConsistencyBetaStart: 0.0015, ConsistencyBetaEnd: 0.0155, ConsistencyGap: 250,
        OsizeConstant: 128);

    /// <summary>LCMSR's published configuration (LDCSR @03118c4, first_stage_kl_v6_x4 + second_stage_consistency_v1_x4):
    /// the paper networks with the fixed-×4 decoder. Nothing here trains it; its checkpoints import and run at ×4.</summary>
    public static SrConfig PaperX4 { get; } = Paper with
    {
        Name = "paper-x4",
        Decoder = Paper.Decoder with { FixedScale = 4 },
    };

    public static IReadOnlyList<SrConfig> All { get; } = [Paper, Small, PaperX4];

    public static SrConfig ByName(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown model config '{name}' (known: {string.Join(", ", All.Select(c => c.Name))})", nameof(name));

    /// <summary>Canonical text of every field that shapes the networks or the samplers.</summary>
    public string CanonicalArchitecture()
    {
        static string Arr(int[] a) => "[" + string.Join(",", a) + "]";
        static string Enc(EncoderSpec e) =>
            $"enc(in={e.InChannels},ch={e.Channels},mult={Arr(e.ChannelMult)},res={e.NumResBlocks},z={e.LatentChannels},double={e.DoubleZ},g={e.NormGroups})";
        var d = Decoder;
        var u = UNet;
        return string.Join(";",
            Enc(Encoder), Enc(CondNet),
            $"dec(ch={d.Channels},mult={Arr(d.ChannelMult)},res={d.NumResBlocks},fru={Arr(d.ImdbPerFru)},cca={d.CcaReduction},csum={d.CsumLevels}x{d.CsumHidden}x{d.CsumHiddenLayers},g={d.NormGroups}"
                + (d.FixedScale > 0 ? $",fixed={d.FixedScale})" : ")"),
            $"unet(in={u.InChannels},out={u.OutChannels},ch={u.ModelChannels},mult={Arr(u.ChannelMult)},res={u.NumResBlocks},attn={Arr(u.AttentionResolutions)},head={u.HeadChannels},g={u.NormGroups})",
            FormattableString.Invariant($"ddpm(T={DiffusionSteps},b={BetaStart:R}..{BetaEnd:R})"),
            FormattableString.Invariant($"cm(T={ConsistencySteps},b={ConsistencyBetaStart:R}..{ConsistencyBetaEnd:R},gap={ConsistencyGap},osize={OsizeConstant:R})"));
    }

    /// <summary>First 16 hex digits of the SHA-256 of <see cref="CanonicalArchitecture"/>.</summary>
    public string ArchitectureHash =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalArchitecture())))[..16];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} v{Version} ({ArchitectureHash})");
}
