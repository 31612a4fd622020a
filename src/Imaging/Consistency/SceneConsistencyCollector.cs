using System.Globalization;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// A scene's end of consistency, for the cluster's writer grain and the in-process job alike: the tiles' sums, kept by
/// tile index (a tile measured again replaces itself) and reduced in tile order, so the figures and the map are
/// bit-reproducible whatever order tiles finished in; the figures' GDAL metadata items.
/// </summary>
public sealed class SceneConsistencyCollector
{
    readonly SortedDictionary<int, ConsistencySums> tiles = [];
    readonly Lock gate = new();

    public void Add(int tileIndex, ConsistencySums sums)
    {
        lock (gate) tiles[tileIndex] = sums;
    }

    public void Clear()
    {
        lock (gate) tiles.Clear();
    }

    /// <summary>The scene's figures, or null when nothing was measured (no levels, or no valid pixel).</summary>
    /// <param name="threshold">The inconsistency a scene and a map cell are flagged over.</param>
    public SceneConsistency? Finish(TilePlan plan, ValueRange levels, IReadOnlyList<double?> bandScales, double threshold, out ConsistencyMap? map)
    {
        map = null;
        ConsistencySums[] measured;
        lock (gate) measured = [.. tiles.Values];
        if (measured.Length == 0 || !levels.IsValid) return null;
        var total = new ConsistencySums(measured[0].Bands, default);
        var cells = new ConsistencyMap(plan.SceneWidth, plan.SceneHeight);
        foreach (var tile in measured)
        {
            total.Add(tile);
            cells.Add(tile);
        }
        if (total.Pixels == 0) return null;
        map = cells;
        return SceneConsistency.From(total, levels, plan.Scale.Value, bandScales, new ConsistencyThresholds() with { Inconsistency = threshold });
    }

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
