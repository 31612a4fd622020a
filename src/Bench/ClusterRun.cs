using System.Diagnostics;
using Pipeline.Grains.Jobs;
using Pipeline.Models.Inference;

namespace Pipeline.Bench;

/// <summary>One silo process during a run: resident memory once started (MiB), its peak over the run (MiB), and the
/// tiles its model ran for the timed job (from its /metrics).</summary>
sealed record SiloFigures(double StartedMiB, double PeakMiB, double Tiles);

/// <summary>A timed job on a fresh cluster of <see cref="Silos"/> silo processes, and how long they took to start.</summary>
sealed record ClusterRunResult(int Silos, TimedJob Job, double StartSeconds, IReadOnlyList<SiloFigures> PerSilo);

/// <summary>
/// Starts a fresh <see cref="LocalCluster"/>, optionally runs an untimed warm-up job (code paths loaded and compiled
/// on every silo, worker metadata known everywhere), runs the timed job with the default job settings (bicubic,
/// 128-px tiles, Deflate, overviews), reads each silo's peak memory and tile count, and stops the cluster.
/// Outputs are deleted as soon as they are measured.
/// </summary>
static class ClusterRun
{
    const string TilesMetric = "pipeline_tiles_processed_total";

    /// <summary>What the silos load and the jobs ask for (a silo's default is the shipped latent model).</summary>
    const string Model = ModelCatalog.Bicubic;

    public static async Task<ClusterRunResult> RunAsync(string siloHost, int silos, string scene, double scale, string? warmupScene, string folder, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(siloHost, silos, Model, folder, cancellation);
        var startSeconds = clock.Elapsed.TotalSeconds;
        var started = cluster.Silos.Select(silo => silo.ResidentMiB).ToArray();

        if (warmupScene is not null) await RunAndDeleteAsync(cluster, warmupScene, scale, folder, cancellation);
        var tilesBefore = await Task.WhenAll(cluster.Silos.Select(silo => silo.MetricAsync(TilesMetric)));
        var job = await RunAndDeleteAsync(cluster, scene, scale, folder, cancellation);
        var tilesAfter = await Task.WhenAll(cluster.Silos.Select(silo => silo.MetricAsync(TilesMetric)));

        var figures = cluster.Silos.Select((silo, i) => new SiloFigures(started[i], silo.PeakResidentMiB, tilesAfter[i] - tilesBefore[i])).ToList();
        return new ClusterRunResult(silos, job, startSeconds, figures);
    }

    static async Task<TimedJob> RunAndDeleteAsync(LocalCluster cluster, string scene, double scale, string folder, CancellationToken cancellation)
    {
        var output = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(scene)}-{Guid.NewGuid():N}.tif");
        try
        {
            return await JobRunner.RunAsync(cluster.Grains, new SceneJobSpec(scene, output, scale, Model), cancellation);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
