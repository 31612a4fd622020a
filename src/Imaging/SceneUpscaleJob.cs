using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Imaging;
using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging;

/// <summary>
/// Super-resolves one GeoTIFF scene in this process: windowed reads of the LR tiles, the upscaler, order-free
/// blending into output blocks, and a tiled GeoTIFF written under a temporary name and renamed at the end.
/// Memory stays bounded by the tiles in flight and the blocks not yet complete, whatever the scene size. Its output is
/// measured against its input as the cluster's is (same figures, metadata and map for the same pixels).
/// </summary>
public static class SceneUpscaleJob
{
    public static SceneUpscaleResult Run(string inputPath, string outputPath, double scale, ITileUpscaler upscaler,
        SceneUpscaleOptions? options = null, Action<TilePlan>? planned = null, Action? tileDone = null,
        CancellationToken cancellation = default)
    {
        options ??= new SceneUpscaleOptions();
        var clock = Stopwatch.StartNew();
        if (!ScaleRange.Contains(scale)) throw new RasterFormatException(inputPath, ScaleRange.Problem(scale));
        ScenePaths.Check(inputPath, outputPath);

        using var reader = RasterReaders.Open(inputPath);
        var info = reader.Info;
        TilePlan plan;
        RasterInfo scaled;
        try
        {
            scaled = info.ScaledBy(scale);
            plan = TilePlan.Create(info.Width, info.Height, scale, upscaler, options.Tiling ?? TilingOptions.For(upscaler, scale));
        }
        catch (ArgumentException e)
        {
            throw new RasterFormatException(inputPath, e.Message, e);
        }
        planned?.Invoke(plan);

        var outputInfo = scaled.WithModel(upscaler.Name, upscaler.WeightsSha256);
        var levels = LevelsOrNone(reader);
        var consistency = new SceneConsistencyCollector();
        var cellSize = ConsistencyMap.CellSizeFor(info.Width, info.Height);
        using var writer = RasterSinks.Create(outputPath, outputInfo, options.Output);
        var stitcher = new MosaicStitcher(plan, info.Bands, info.FillValue);
        var writeGate = new Lock();

        // Tiles go in plan order (swath by swath, row-major within one) to a bounded number of parallel upscalers,
        // so the blocks open at any time stay within a band of tile rows one swath wide.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelTiles, CancellationToken = cancellation };
        Parallel.ForEach(Partitioner.Create(plan.Tiles, EnumerablePartitionerOptions.NoBuffering), parallel, tile =>
        {
            // The reader serialises its own calls.
            var lr = reader.Read(tile.LrWindow);
            var validity = reader.ReadValidity(tile.LrWindow, lr);
            if (validity is not null) NodataFill.Apply(lr, validity, NodataFill.PassesFor(plan.EdgeMargin));
            var hr = upscaler.Upscale(lr, plan.Scale.Value, tile.HrWindow);
            consistency.Add(tile.Index, TileConsistency.Measure(lr, validity, hr, TileOwnership.OwnedLrWindow(plan, tile.Index), plan.Scale, levels, cellSize));
            var finished = stitcher.AddTile(tile.Index, hr, validity);
            lock (writeGate)
            {
                foreach (var block in finished) writer.Write(block);
            }
            tileDone?.Invoke();
        });

        // As the cluster's writer does: the figures in the file, the map beside it.
        var threshold = new ConsistencyThresholds().Inconsistency;
        var figures = consistency.Finish(plan, levels, info.BandScales, threshold, out var map);
        if (figures is not null) writer.SetMetadataItems(SceneConsistencyCollector.MetadataItems(figures, enforced: false));
        writer.Commit();
        map?.Write(OutputSidecars.ConsistencyMap(outputPath), info, threshold);
        return new SceneUpscaleResult(outputPath, outputInfo, plan.Tiles.Count, plan.OverlapOvercompute, clock.Elapsed);
    }

    /// <summary>The scene's levels as a job measures them, or none (its output is then not measured) when they cannot be
    /// read: damaged pixels fail their own tiles.</summary>
    static ValueRange LevelsOrNone(IRasterReader reader)
    {
        try
        {
            return SceneLevels.Of(reader);
        }
        catch (Exception e) when (e is RasterFormatException or IOException or InvalidDataException)
        {
            return default;
        }
    }
}
