using System.Globalization;
using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Writing;

/// <summary>The writer's end of consistency: the tiles' sums reduced in tile order (bit-reproducible), the scene's
/// figures, their GDAL metadata items and the map.</summary>
public static class ConsistencyReport
{
    public static readonly ConsistencyThresholds Thresholds = new();

    /// <summary>The scene's figures from its tiles' sums (in tile order), or null when nothing was measured.</summary>
    public static SceneConsistency? Measure(TilePlan plan, RasterInfo input, WriterSetup setup, IReadOnlyList<ConsistencySums> tiles, out ConsistencyMap? map)
    {
        map = null;
        if (tiles.Count == 0 || !setup.Levels.IsValid) return null;
        var total = new ConsistencySums(tiles[0].Bands, default);
        map = new ConsistencyMap(plan.SceneWidth, plan.SceneHeight);
        foreach (var tile in tiles)
        {
            total.Add(tile);
            map.Add(tile);
        }
        if (total.Pixels == 0)
        {
            map = null;
            return null;
        }
        return SceneConsistency.From(total, setup.Levels, setup.Scale, input.BandScales, Thresholds with { Inconsistency = MapThreshold(setup) });
    }

    /// <summary>The bound a map cell (and the scene) is flagged over: the job's --max-inconsistency, or the default.</summary>
    public static double MapThreshold(WriterSetup setup) => setup.MaxInconsistency ?? Thresholds.Inconsistency;

    public static IReadOnlyList<(string Name, string Value)> MetadataItems(SceneConsistency figures, bool enforced)
    {
        var items = new List<(string, string)>
        {
            ("SR_CONSISTENCY_MODE", enforced ? "enforce" : "report"),
            ("SR_CONSISTENCY_INCONSISTENCY_PERCENT", Number(figures.Inconsistency)),
            ("SR_CONSISTENCY_BIAS_PERCENT", Number(figures.Bias)),
            ("SR_CONSISTENCY_PSNR_DB", Number(figures.Psnr)),
            ("SR_CONSISTENCY_BAND_BIAS", string.Join(",", figures.BandBias.Select(Number))),
            ("SR_CONSISTENCY_BAND_MAE", string.Join(",", figures.BandMae.Select(Number))),
            ("SR_CONSISTENCY_BAND_RMSE", string.Join(",", figures.BandRmse.Select(Number))),
            ("SR_CONSISTENCY_DETAIL", Number(figures.Detail)),
            ("SR_CONSISTENCY_GRAIN", Number(figures.Grain)),
            ("SR_CONSISTENCY_PIXELS", figures.Pixels.ToString(CultureInfo.InvariantCulture)),
            ("SR_CONSISTENCY_FLAGS", figures.Flagged ? string.Join("; ", figures.Flags) : "none"),
        };
        if (figures.ReflectanceL1 is { } l1) items.Add(("SR_CONSISTENCY_REFLECTANCE_L1", Number(l1)));
        if (figures.SpectralAngle is { } angle) items.Add(("SR_CONSISTENCY_SPECTRAL_ANGLE_DEG", Number(angle)));
        if (figures.ShiftX is { } dx && figures.ShiftY is { } dy) items.Add(("SR_CONSISTENCY_SHIFT_LR_PX", $"{Number(dx)},{Number(dy)}"));
        return items;
    }

    static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
