using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Models.Inference;

/// <summary>Settings of <see cref="LatentTileUpscaler"/>.</summary>
/// <param name="Sampling">Sampler, seed and temperature.</param>
/// <param name="BlackLevel">Sample value mapped to 0 (the model's black).</param>
/// <param name="WhiteLevel">Sample value mapped to 1 (the model's white): 255 for uint8 data, 65535 for full-range
/// uint16, 4095 for 12-bit, 10000 for reflectance scaled by 10⁴ (e.g. Sentinel-2 L2A). Fixed for the whole
/// scene (never per tile) so that tiles agree.</param>
/// <param name="Bands">How bands are grouped into RGB triplets.</param>
/// <param name="EdgeMargin">LR pixels at a tile edge whose output is unreliable.</param>
public sealed record TileUpscalerOptions(
    SamplingOptions? Sampling = null,
    double BlackLevel = 0,
    double WhiteLevel = 255,
    BandGrouping Bands = BandGrouping.Auto,
    int EdgeMargin = 16)
{
    public SamplingOptions SamplingOrDefault => Sampling ?? new SamplingOptions();

    /// <summary>uint8 (0..255) or uint16 with the given white level (default full range 65535).</summary>
    public static TileUpscalerOptions ForUInt8(SamplingOptions? sampling = null) => new(sampling, 0, 255);

    public static TileUpscalerOptions ForUInt16(SamplingOptions? sampling = null, double whiteLevel = 65535) => new(sampling, 0, whiteLevel);
}

/// <summary>
/// <see cref="ITileUpscaler"/> over a <see cref="SuperResolver"/>.
/// <list type="bullet">
/// <item>Geometry: the model works on the HR window widened to multiples of 8 (<see cref="HrAlignment"/>), so its
/// latent grid is a crop of the scene's and its noise a crop of the scene-wide noise field; the requested
/// window is cropped out. All resampling inside the model uses global coordinates.</item>
/// <item>Values: (v − black) / (white − black), clamped to [0, 1], to [-1, 1]; back the same way. Where the input
/// leaves [black, white] the clipped part is restored by adding bicubic(v) − bicubic(clamped v), so out-of-range
/// radiometry is kept instead of saturated.</item>
/// <item>Bands: see <see cref="BandGrouping"/>; each group uses its own noise seed derived from the seed.</item>
/// <item>Runs under inference mode. Thread-safe: calls are serialised by a lock around the shared model; for
/// parallel workers create one instance (one loaded model) per worker.</item>
/// </list>
/// </summary>
public sealed class LatentTileUpscaler : ITileUpscaler, IDisposable
{
    readonly SuperResolver resolver;
    readonly TileUpscalerOptions options;
    readonly bool ownsResolver;
    readonly Lock gate = new();

    public LatentTileUpscaler(SuperResolver resolver, TileUpscalerOptions? options = null, bool ownsResolver = false)
    {
        this.resolver = resolver;
        this.options = options ?? new TileUpscalerOptions();
        this.ownsResolver = ownsResolver;
        if (!(this.options.WhiteLevel > this.options.BlackLevel)) throw new ArgumentException("WhiteLevel must exceed BlackLevel");
    }

    public static LatentTileUpscaler Load(string weightsPath, TileUpscalerOptions? options = null, Device? device = null) =>
        new(SuperResolver.Load(weightsPath, device), options, ownsResolver: true);

    public string Name => ModelCatalog.RunningName(options.SamplingOrDefault.Sampler, resolver.Config.Name);

    public bool Serves(string requested) => ModelCatalog.Serves(Name, requested);

    public int EdgeMargin => options.EdgeMargin;

    public int HrAlignment => resolver.Config.DownFactor;

    /// <summary>Tiles of at most 1296² HR pixels (and 648² LR, the CSUM's ×2 level being twice the LR size): two per
    /// axis cover the 512² sample at ×4 with 14.6 % overlap overcompute, and the real scenes of shared/data at ×2 take
    /// 0–12 %; a full-size tile peaks at ~0.6 GiB of model memory.</summary>
    public int PreferredTileSize(double scale) => Math.Max(64, (int)Math.Min(PreferredHrSide / 2, PreferredHrSide / scale));

    /// <summary>At most 1792² HR pixels (and 896² LR): the largest tile's run stays well under 2 GiB (2048² tiles
    /// peaked at 1.94 GiB for the whole process at ×4; the CondNet's first level holds two 32-channel HR maps).</summary>
    public int MaxTileSize(double scale) => Math.Max(64, (int)Math.Min(LargestHrSide / 2, LargestHrSide / scale));

    const int PreferredHrSide = 1296;
    const int LargestHrSide = 1792;

    public bool NeedsValueRange => true;

    /// <summary>With the levels of <see cref="TileUpscalerOptions"/>.</summary>
    public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow) =>
        Upscale(lrTile, scale, hrWindow, new ValueRange(options.BlackLevel, options.WhiteLevel));

    public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow, ValueRange levels)
    {
        if (!levels.IsValid) throw new ArgumentException($"white level {levels.White} must exceed black level {levels.Black}", nameof(levels));
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be positive");
        if (lrTile.Window.IsEmpty || hrWindow.IsEmpty) throw new ArgumentException("empty tile");
        var f = HrAlignment;
        var x0 = FloorMultiple(hrWindow.X, f);
        var y0 = FloorMultiple(hrWindow.Y, f);
        var x1 = -FloorMultiple(-hrWindow.Right, f);
        var y1 = -FloorMultiple(-hrWindow.Bottom, f);
        var geometry = new TileGeometry(scale, scale,
            lrTile.Window.X, lrTile.Window.Y, lrTile.Width, lrTile.Height,
            x0, y0, x1 - x0, y1 - y0, f);
        var output = new RasterBlock(hrWindow, lrTile.Bands);
        var groups = BandGroup.Plan(lrTile.Bands, options.Bands);
        var range = levels.White - levels.Black;
        var sampling = options.SamplingOrDefault;

        lock (gate)
        {
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                using var scope = NewDisposeScope();
                var normalised = Normalised(lrTile, group.Sources, levels);
                var clamped = normalised.clamp(0, 1);
                var groupSampling = sampling with { Seed = unchecked(sampling.Seed + (ulong)g * 0x9E3779B97F4A7C15UL) };
                var sr = resolver.Upscale(clamped * 2 - 1, geometry, groupSampling).cpu();
                var result = (sr + 1) * 0.5;
                if ((normalised - clamped).abs().max().item<float>() > 0)
                {
                    var restore = Resampler.Resize(normalised - clamped, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic);
                    result = result + restore;
                }
                var cropped = result[0, .., (hrWindow.Y - y0)..(hrWindow.Y - y0 + hrWindow.Height), (hrWindow.X - x0)..(hrWindow.X - x0 + hrWindow.Width)];
                var values = (cropped * range + levels.Black).contiguous();
                if (group.Replicated)
                {
                    var mean = values.mean([0]).data<float>().ToArray();
                    mean.CopyTo(output.Band(group.Targets[0]));
                }
                else
                {
                    var data = values.data<float>().ToArray();
                    var plane = hrWindow.Width * hrWindow.Height;
                    for (var k = 0; k < 3; k++)
                        if (group.Targets[k] >= 0) data.AsSpan(k * plane, plane).CopyTo(output.Band(group.Targets[k]));
                }
            }
            TorchAllocator.ReleaseFreeMemory();
        }
        return output;
    }

    static Tensor Normalised(RasterBlock tile, int[] sources, ValueRange levels)
    {
        var plane = tile.Width * tile.Height;
        var data = new float[3 * plane];
        var scale = 1.0 / (levels.White - levels.Black);
        for (var k = 0; k < 3; k++)
        {
            var band = tile.Band(sources[k]);
            for (var i = 0; i < plane; i++) data[k * plane + i] = (float)((band[i] - levels.Black) * scale);
        }
        return tensor(data, [1, 3, tile.Height, tile.Width]);
    }

    static int FloorMultiple(int value, int multiple) => (int)Math.Floor((double)value / multiple) * multiple;

    public void Dispose()
    {
        if (ownsResolver) resolver.Dispose();
    }
}
