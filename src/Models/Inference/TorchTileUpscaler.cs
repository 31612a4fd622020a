using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Models.Inference;

/// <summary>
/// What the torch models' <see cref="ITileUpscaler"/>s share (each model family derives its own from this):
/// <list type="bullet">
/// <item>Geometry: the model works on the HR window widened to multiples of <see cref="HrAlignment"/>, so its
/// grids are crops of the scene's and its noise a crop of the scene-wide noise field; the requested
/// window is cropped out. All resampling inside the model uses global coordinates.</item>
/// <item>Values: (v − black) / (white − black), clamped to [0, 1], to [-1, 1]; back the same way. Where the input
/// leaves [black, white] the clipped part is restored by adding bicubic(v) − bicubic(clamped v), so out-of-range
/// radiometry is kept instead of saturated.</item>
/// <item>Bands: see <see cref="BandGrouping"/>; each group uses its own noise seed derived from the seed.</item>
/// <item>Runs under inference mode. Thread-safe: calls are serialised by a lock around the shared model; for
/// parallel workers create one instance (one loaded model) per worker.</item>
/// </list>
/// </summary>
public abstract class TorchTileUpscaler : ITileUpscaler, IDisposable
{
    readonly TileUpscalerOptions options;
    readonly Lock gate = new();

    protected TorchTileUpscaler(TileUpscalerOptions? options)
    {
        this.options = options ?? new TileUpscalerOptions();
        if (!(this.options.WhiteLevel > this.options.BlackLevel)) throw new ArgumentException("WhiteLevel must exceed BlackLevel");
    }

    protected TileUpscalerOptions Options => options;

    /// <summary>What the model runs as, with its precision when that is not fp32 (deterministic-small@bf16): the name
    /// a job records and its workers must match, so a cluster never blends tiles of two precisions.</summary>
    public string Name => Options.Precision == TorchPrecision.Fp32 ? ModelName : $"{ModelName}@{TorchPrecisions.NameOf(Options.Precision)}";

    /// <summary>The model's own name (its family's running name), whatever its precision.</summary>
    protected abstract string ModelName { get; }

    /// <summary>By naming none, its full name, or a name the model answers to whatever its precision.</summary>
    public bool Serves(string requested) => requested.Length == 0 || requested == Name || Answers(requested);

    protected abstract bool Answers(string requested);

    public TorchPrecision Precision => Options.Precision;

    public string? WeightsSha256 { get; init; }

    public virtual double? FixedScale => null;

    public int EdgeMargin => options.EdgeMargin;

    /// <summary>HR tile origins and sizes are widened to multiples of this.</summary>
    public abstract int HrAlignment { get; }

    public abstract int PreferredTileSize(double scale);

    public abstract int MaxTileSize(double scale);

    /// <summary>The model on one RGB triplet: LR [1, 3, h, w] in [-1, 1] → HR [1, 3, H, W] in [-1, 1] on the geometry's
    /// HR grid (aligned to <see cref="HrAlignment"/>).</summary>
    protected abstract Tensor Run(Tensor lr, TileGeometry geometry, SamplingOptions sampling);

    public bool NeedsValueRange => true;

    /// <summary>With the levels of <see cref="TileUpscalerOptions"/>.</summary>
    public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow) =>
        Upscale(lrTile, scale, hrWindow, new ValueRange(options.BlackLevel, options.WhiteLevel));

    public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow, ValueRange levels) => Upscale(lrTile, scale, hrWindow, levels, 0);

    public virtual bool Stochastic => true;

    public RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow, ValueRange levels, int draw)
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
        // Another draw is another scene-wide seed (a large odd step, so draws never meet the band groups' seeds).
        if (draw != 0) sampling = sampling with { Seed = unchecked(sampling.Seed + (ulong)draw * 0xD1B54A32D192ED03UL) };

        lock (gate)
        {
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                using var scope = NewDisposeScope();
                var normalised = Normalised(lrTile, group.Sources, levels);
                var clamped = normalised.clamp(0, 1);
                var groupSampling = sampling with { Seed = unchecked(sampling.Seed + (ulong)g * 0x9E3779B97F4A7C15UL) };
                var sr = Run(clamped * 2 - 1, geometry, groupSampling).cpu();
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

    public abstract void Dispose();
}
