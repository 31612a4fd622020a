using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Models.Idm;

/// <summary>
/// One IDM configuration (docs/models.md §4). <see cref="Paper"/> is the reference's DF2K ×4 model
/// (config/df2k_liifsr3_x4.json: EDSR-baseline 16×64, UNet 64 × [1, 2, 4, 8, 8], 2 ResBlocks, attention at 16² of a
/// 128² crop, dropout 0.2); <see cref="Small"/> is the same architecture narrowed to train on 2 CPU cores.
/// The architecture fields feed <see cref="ArchitectureHash"/>, which every weights file records.
/// </summary>
/// <param name="AttentionLevels">UNet levels (0 = full resolution) whose ResBlocks carry self-attention; the middle
/// block always has it.</param>
/// <param name="MaxScale">The scale that the normalised scale p = (s − 1) / (MaxScale − 1) maps to 1 (the reference
/// trains p ~ U(0, 1) over 1..MaxScale).</param>
/// <param name="ResidualTarget">Diffuse (HR − bicubic LR) · target scale instead of the HR image (a deliberate
/// deviation for the short CPU run, as in SRDiff; the reference diffuses the HR image).</param>
public sealed record IdmConfig(
    string Name,
    int Version,
    int EdsrBlocks,
    int EdsrChannels,
    int Channels,
    int[] ChannelMult,
    int ResBlocks,
    int[] AttentionLevels,
    int NormGroups,
    double Dropout,
    int ImplicitHidden,
    int DiffusionSteps,
    double BetaStart,
    double BetaEnd,
    double MaxScale,
    bool ResidualTarget)
{
    /// <summary>HR tile sides must be multiples of this for every UNet level to be an exact half of the one above
    /// (a tile's grids are then crops of the scene's).</summary>
    public int HrAlignment => 1 << (ChannelMult.Length - 1);

    public static IdmConfig Paper { get; } = new(
        Name: "paper", Version: 1,
        EdsrBlocks: 16, EdsrChannels: 64,
        Channels: 64, ChannelMult: [1, 2, 4, 8, 8], ResBlocks: 2, AttentionLevels: [3], NormGroups: 32, Dropout: 0.2,
        ImplicitHidden: 256, DiffusionSteps: 2000, BetaStart: 1e-6, BetaEnd: 1e-2, MaxScale: 8, ResidualTarget: false);

    public static IdmConfig Small { get; } = new(
        Name: "small", Version: 1,
        EdsrBlocks: 4, EdsrChannels: 32,
        Channels: 32, ChannelMult: [1, 2, 2, 4], ResBlocks: 1, AttentionLevels: [], NormGroups: 8, Dropout: 0,
        ImplicitHidden: 256, DiffusionSteps: 2000, BetaStart: 1e-6, BetaEnd: 1e-2, MaxScale: 8, ResidualTarget: true);

    public static IReadOnlyList<IdmConfig> All { get; } = [Paper, Small];

    public static IdmConfig ByName(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown IDM config '{name}' (known: {string.Join(", ", All.Select(c => c.Name))})", nameof(name));

    /// <summary>p, the normalised scale the conditioning mixes by.</summary>
    public double NormalisedScale(double scale) => (scale - 1) / (MaxScale - 1);

    public string CanonicalArchitecture()
    {
        static string Arr(int[] a) => "[" + string.Join(",", a) + "]";
        return FormattableString.Invariant(
            $"idm(edsr={EdsrBlocks}x{EdsrChannels};unet={Channels},mult={Arr(ChannelMult)},res={ResBlocks},attn={Arr(AttentionLevels)},g={NormGroups},drop={Dropout:R},imp={ImplicitHidden};T={DiffusionSteps},b={BetaStart:R}..{BetaEnd:R};pmax={MaxScale:R};residual={ResidualTarget})");
    }

    public string ArchitectureHash =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalArchitecture())))[..16];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"idm-{Name} v{Version} ({ArchitectureHash})");
}
