using Pipeline.Imaging.Tiling;

namespace Pipeline.Models.Inference;

/// <summary>Settings of a <see cref="TorchTileUpscaler"/>.</summary>
/// <param name="Sampling">Sampler, seed and temperature.</param>
/// <param name="BlackLevel">Sample value mapped to 0 (the model's black).</param>
/// <param name="WhiteLevel">Sample value mapped to 1 (the model's white): 255 for uint8 data, 65535 for full-range
/// uint16, 4095 for 12-bit, 10000 for reflectance scaled by 10⁴ (e.g. Sentinel-2 L2A). Fixed for the whole
/// scene (never per tile) so that tiles agree.</param>
/// <param name="Bands">How bands are grouped into RGB triplets.</param>
/// <param name="EdgeMargin">LR pixels at a tile edge whose output is unreliable.</param>
/// <param name="Precision">The number format of the model's convolutions.</param>
public sealed record TileUpscalerOptions(
    SamplingOptions? Sampling = null,
    double BlackLevel = 0,
    double WhiteLevel = 255,
    BandGrouping Bands = BandGrouping.Auto,
    int EdgeMargin = 16,
    TorchPrecision Precision = TorchPrecision.Fp32)
{
    public SamplingOptions SamplingOrDefault => Sampling ?? new SamplingOptions();

    /// <summary>uint8 (0..255) or uint16 with the given white level (default full range 65535).</summary>
    public static TileUpscalerOptions ForUInt8(SamplingOptions? sampling = null) => new(sampling, 0, 255);

    public static TileUpscalerOptions ForUInt16(SamplingOptions? sampling = null, double whiteLevel = 65535) => new(sampling, 0, whiteLevel);
}
