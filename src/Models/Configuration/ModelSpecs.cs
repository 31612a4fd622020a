using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Models.Configuration;

/// <summary>LDM-style convolutional encoder ("GAPEncoder"): stage-1 encoder (6 input channels, KL moments)
/// and stage-2 LR conditioning network (3 input channels, one latent).</summary>
public sealed record EncoderSpec(
    int InChannels, int Channels, int[] ChannelMult, int NumResBlocks, int LatentChannels, bool DoubleZ, int NormGroups);

/// <summary>Stage-1 decoder: latent branch, SR branch (FRUs of IMDBs with scale-modulated fusion) and CSUM.</summary>
/// <param name="FixedScale">0: continuous scale (s1_v6: scale-modulated fusion, CSUM). 2, 4 or 8: the reference's
/// fixed-scale decoder (s1_v6_fixed_scale, LCMSR's published first stage): additive fusion and a pixel-shuffle tail,
/// at that scale only.</param>
public sealed record DecoderSpec(
    int Channels,
    int[] ChannelMult,
    int NumResBlocks,
    int[] ImdbPerFru,
    int CcaReduction,
    int CsumLevels,
    int CsumHidden,
    int CsumHiddenLayers,
    int NormGroups,
    int FixedScale = 0);

/// <summary>OpenAI/LDM UNet denoiser with timestep, scale and output-size embeddings ("hybrid_adm").</summary>
public sealed record UNetSpec(
    int InChannels,
    int OutChannels,
    int ModelChannels,
    int[] ChannelMult,
    int NumResBlocks,
    int[] AttentionResolutions,
    int HeadChannels,
    int NormGroups);
