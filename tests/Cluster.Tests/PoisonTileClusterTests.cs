using System.Text.RegularExpressions;
using Pipeline.PoisonModel;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Cluster.Tests;

/// <summary>Issue 30: a scene with a tile that kills the worker process running it (a native crash, an OOM kill) must
/// not take the cluster down silo by silo. After <c>RetryPolicy.WorkerCrashes</c> (3) deaths the job fails with one
/// line naming the tile, and the silos left serve the next job. Real silo processes on Redis: one coordinator and five
/// workers running the test-only <see cref="PoisonFamily"/> (bicubic that kills its process on a marked tile, or takes
/// native memory until the kernel's OOM killer ends it in a memory-limited cgroup), loaded as a plug-in through a .NET
/// startup hook.</summary>
public sealed class PoisonTileClusterTests : IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("sr-poison-").FullName;
    readonly List<MemoryCgroup> cgroups = [];

    /// <summary>After the test's cluster is gone: a cgroup can be removed only once its processes have ended.</summary>
    public void Dispose()
    {
        foreach (var cgroup in cgroups) cgroup.Dispose();
        Directory.Delete(work, recursive: true);
    }

    /// <summary>Each worker's memory limit in the OOM case: a pod's, well above what an idle bicubic silo holds.</summary>
    const long WorkerMemoryLimit = 1L << 30;

    [Theory]
    [InlineData(PoisonFamily.PoisonValue, false)]
    [InlineData(PoisonFamily.HogValue, true)]
    public async Task A_tile_that_kills_its_worker_fails_its_job_after_three_deaths_and_the_cluster_serves_the_next_job(
        float marker, bool memoryLimited)
    {
        var weights = Path.Combine(work, "poison.safetensors");
        PoisonFamily.Save(weights);
        var clean = TestScenes.LandsatRgbnir;
        var poisoned = Path.Combine(work, "poisoned.tif");
        using (var reader = GeoTiffReader.Open(clean))
        {
            var pixels = reader.Read(new PixelWindow(0, 0, reader.Info.Width, reader.Info.Height));
            // In one tile only (a corner): a pixel in the overlap of two tiles would make two poison tiles, each with its
            // own count, and the number of deaths before the job fails would depend on where they were placed. Innocent
            // tiles on a worker when it dies are suspects too, but suspects run one at a time, so the blame lands on
            // tile 0 (before that, an innocent tile placed beside it three times was blamed once).
            pixels[0, 5, 5] = marker;
            using var writer = GeoTiffWriter.Create(poisoned, reader.Info);
            writer.Write(pixels);
            writer.Commit();
        }

        await using var redis = await RedisServer.StartAsync();
        var settings = SiloCluster.Redis(redis.ConnectionString);
        settings["DOTNET_STARTUP_HOOKS"] = typeof(PoisonFamily).Assembly.Location;
        await using var cluster = await SiloCluster.StartAsync([.. Enumerable.Repeat(weights, 6)], settings, work,
            roles: i => i == 0 ? "coordinator" : "worker");
        if (memoryLimited)
            foreach (var worker in cluster.Silos.Skip(1))
            {
                cgroups.Add(MemoryCgroup.Create(WorkerMemoryLimit));
                cgroups[^1].Add(worker.Pid);
            }
        // Every silo Active is not yet every silo's role known everywhere: until then a writer may be placed on a worker.
        await Task.Delay(TimeSpan.FromSeconds(5));

        var failed = await Sr.RunAsync(["upscale", poisoned, "--out", Path.Combine(work, "poisoned-x2.tif"), "--scale", "2", "--quiet",
            "--cluster", redis.ConnectionString], cluster.ClientEnvironment);
        Assert.True(failed.ExitCode == 1, $"exit {failed.ExitCode}\n{failed.Stdout}{failed.Stderr}\n{cluster.LogTails()}");
        Assert.Matches($"^error: {Regex.Escape(poisoned)}: tile 0 crashed its worker 3 times$", failed.Stderr.Trim());
        if (cluster.Silos.Count(silo => silo.HasExited) != 3) Assert.Fail($"{cluster.Silos.Count(silo => silo.HasExited)} silos exited, not 3; {cluster.KeepLogs()}");
        Assert.False(cluster.Silos[0].HasExited);
        // The job and its writer stayed where they were through three deaths of other silos: with Orleans' default grain
        // directory a dead silo took its directory entries along, the coordinator deactivated the job and the writer, the
        // job resumed from its last checkpoint without knowing which tiles had been on the dead worker, and a poison
        // tile killed a 4th worker (CI, 2026-12-07); the writer's file was lost and the output started again.
        var coordinatorLog = File.ReadAllText(cluster.Silos[0].LogPath);
        Assert.True(Regex.Count(coordinatorLog, @"Job poisoned-\S+: running \(") == 1 && !coordinatorLog.Contains("was lost"),
            $"the job or its writer was restarted; {cluster.KeepLogs()}");
        if (memoryLimited) Assert.Equal(3, cgroups.Sum(cgroup => cgroup.OomKills));

        var output = Path.Combine(work, "clean-x2.tif");
        var served = await Sr.RunAsync(["upscale", clean, "--out", output, "--scale", "2", "--quiet", "--cluster", redis.ConnectionString],
            cluster.ClientEnvironment);
        Assert.True(served.ExitCode == 0, served.Stdout + served.Stderr + "\n" + cluster.LogTails());
        TiffContent.AssertPixelsSame(TestScenes.Reference(clean, 2), output);
        Assert.DoesNotContain(Directory.GetFiles(work), file => file.Contains(".partial-"));
    }
}
