using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Models.Configuration;

/// <summary>LDM-style convolutional encoder ("GAPEncoder"): stage-1 encoder (6 input channels, KL moments)
/// and stage-2 LR conditioning network (3 input channels, one latent).</summary>
public sealed record EncoderSpec(
    int InChannels, int Channels, int[] ChannelMult, int NumResBlocks, int LatentChannels, bool DoubleZ, int NormGroups);

/// <summary>Stage-1 decoder: latent branch, SR branch (FRUs of IMDBs with scale-modulated fusion) and CSUM.</summary>
public sealed record DecoderSpec(
    int Channels,
    int[] ChannelMult,
    int NumResBlocks,
    int[] ImdbPerFru,
    int CcaReduction,
    int CsumLevels,
    int CsumHidden,
    int CsumHiddenLayers,
    int NormGroups);

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
