using Pipeline.Grains.Jobs;

namespace Pipeline.Grains.Tests;

/// <summary>Crash tests build their own cluster: they kill one of its silos or move the job away.</summary>
public sealed class SiloLossTests : IDisposable
{
    readonly SceneFiles files = new();

    /// <summary>Kills the silo of the job's writer (or, if the job grain shares it, another one), mid-way.</summary>
    [Fact]
    public async Task A_job_survives_the_loss_of_a_silo_holding_its_writer_stitchers_and_workers()
    {
        await using var pipeline = await PipelineCluster.StartAsync();
        var output = files.File("survivor-x2.tif");
        var id = $"job-{Guid.NewGuid():N}";
        pipeline.Gate.SlowDown(TimeSpan.FromMilliseconds(150));

        await pipeline.Job(id).Submit(new SceneJobSpec(SharedScenes.LandsatRgbnir, output, 2, "bicubic"));
        var before = await pipeline.WaitUntilAsync(id, status => status.TilesDone >= 8);
        var management = pipeline.Client.GetGrain<IManagementGrain>(0);
        var jobSilo = await management.GetActivationAddress(pipeline.Job(id));
        var writerSilo = await management.GetActivationAddress(pipeline.Client.Writer(id)) ?? throw new InvalidOperationException("the writer is not active");
        var victim = pipeline.Cluster.Silos.First(silo => !silo.SiloAddress.Equals(jobSilo) && (silo.SiloAddress.Equals(writerSilo) || writerSilo.Equals(jobSilo)));
        await pipeline.Cluster.KillSiloAsync(victim);
        var status = await pipeline.WaitForEndAsync(id, TimeSpan.FromSeconds(90));

        Assert.True(before.TilesDone < before.TilesTotal, "the job should still have been running when the silo was killed");
        JobAssertions.Completed(status);
        if (!writerSilo.Equals(jobSilo)) Assert.True(status.Generation > 1, "losing the writer restarts the output file");
        TiffContent.AssertSame(SceneFiles.Reference(SharedScenes.LandsatRgbnir, 2), output);
        Assert.Empty(files.Leftovers());
    }

    /// <summary>Kills the silo hosting the job grain itself, mid-way: the next status call reactivates the job on another
    /// silo from its persisted manifest. (KillSiloAsync used to hang here: tiles queued for the killed silo's model
    /// waited forever on a disposed semaphore, so their requests, and the silo's shutdown, never ended.)</summary>
    [Fact]
    public async Task A_job_survives_the_loss_of_the_silo_hosting_the_job_grain()
    {
        await using var pipeline = await PipelineCluster.StartAsync();
        var output = files.File("job-silo-lost-x2.tif");
        var id = $"job-{Guid.NewGuid():N}";
        pipeline.Gate.SlowDown(TimeSpan.FromMilliseconds(150));

        await pipeline.Job(id).Submit(new SceneJobSpec(SharedScenes.LandsatRgbnir, output, 2, "bicubic"));
        var before = await pipeline.WaitUntilAsync(id, status => status.TilesDone >= 8);
        var jobSilo = await pipeline.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(pipeline.Job(id));
        await pipeline.Cluster.KillSiloAsync(pipeline.Cluster.Silos.Single(silo => silo.SiloAddress.Equals(jobSilo))).WaitAsync(TimeSpan.FromSeconds(60));
        var status = await pipeline.WaitForEndAsync(id, TimeSpan.FromSeconds(90));

        Assert.True(before.TilesDone < before.TilesTotal, "the job should still have been running when its silo was killed");
        JobAssertions.Completed(status);
        Assert.NotEqual(jobSilo, await pipeline.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(pipeline.Job(id)));
        TiffContent.AssertSame(SceneFiles.Reference(SharedScenes.LandsatRgbnir, 2), output);
        Assert.Empty(files.Leftovers());
    }

    /// <summary>The job grain is torn off its silo mid-way; the next status call reactivates it (anywhere) from
    /// the persisted manifest, and it reconciles with the writer and stitchers before going on.</summary>
    [Fact]
    public async Task A_job_deactivated_mid_way_resumes_from_its_manifest()
    {
        await using var pipeline = await PipelineCluster.StartAsync();
        var output = files.File("resumed-x2.tif");
        var id = $"job-{Guid.NewGuid():N}";
        pipeline.Gate.SlowDown(TimeSpan.FromMilliseconds(100));

        await pipeline.Job(id).Submit(new SceneJobSpec(SharedScenes.LandsatRgbnir, output, 2, "bicubic"));
        var before = await pipeline.WaitUntilAsync(id, status => status.TilesDone >= 8);
        await pipeline.Cluster.DeactivateAsync(pipeline.Job(id));
        var status = await pipeline.WaitForEndAsync(id);

        Assert.True(before.TilesDone < before.TilesTotal, "the job should still have been running when it was deactivated");
        JobAssertions.Completed(status);
        TiffContent.AssertSame(SceneFiles.Reference(SharedScenes.LandsatRgbnir, 2), output);
        Assert.Empty(files.Leftovers());
    }

    public void Dispose() => files.Dispose();
}
