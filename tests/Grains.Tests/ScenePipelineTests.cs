using Pipeline.Grains.Jobs;
using Pipeline.Grains.Stitching;
using Pipeline.Grains.Writing;

namespace Pipeline.Grains.Tests;

[Collection(PipelineClusterCollection.Name)]
public sealed class ScenePipelineTests(PipelineClusterFixture fixture) : IDisposable
{
    readonly SceneFiles files = new();
    PipelineCluster Pipeline => fixture.Pipeline;

    static SceneJobSpec Spec(string input, string output, double scale) => new(input, output, scale, "bicubic");

    static string NewJobId() => $"job-{Guid.NewGuid():N}";

    [Theory]
    [InlineData(2.0)]
    [InlineData(2.37)] // 237/100: plans in LR space needed tile starts on multiples of 100 LR px
    [InlineData(Math.PI)] // 103993/33102
    public async Task A_scene_upscaled_on_three_silos_is_identical_to_the_in_process_run(double scale)
    {
        var output = files.File($"landsat8-x{scale}.tif");
        var id = NewJobId();

        var submitted = await Pipeline.Job(id).Submit(Spec(SharedScenes.LandsatRgbnir, output, scale));
        var status = await Pipeline.WaitForEndAsync(id);

        Assert.Equal(JobState.Running, submitted.State);
        JobAssertions.Completed(status);
        Assert.Equal(1, status.Generation);
        TiffContent.AssertSame(SceneFiles.Reference(SharedScenes.LandsatRgbnir, scale), output);
        Assert.Empty(files.Leftovers());
    }

    [Fact]
    public async Task A_scene_in_one_block_swaths_is_identical_to_the_in_process_run()
    {
        // 627 px ×2.5 = 1567 px: 4 swaths of one 512-px block, the border tile columns planned twice.
        var output = files.File("landsat8-x2.5-swaths.tif");
        var id = NewJobId();

        await Pipeline.Job(id).Submit(Spec(SharedScenes.LandsatRgbnir, output, 2.5) with { SwathBlocks = 1 });
        var status = await Pipeline.WaitForEndAsync(id);

        JobAssertions.Completed(status);
        var oneSwath = Imaging.Tiling.TilePlan.Create(627, 603, 2.5, new Imaging.BicubicUpscaler()).Tiles.Count;
        Assert.True(status.TilesTotal > oneSwath, $"{status.TilesTotal} tiles in swaths against {oneSwath} in one: nothing was split");
        // Every figure but the shift is summed over pixels, each measured by one tile whatever the tiling; the shift's
        // phase-correlation windows must lie within one tile, so other tiles see other windows (docs/usage.md).
        TiffContent.AssertSameExcept(SceneFiles.Reference(SharedScenes.LandsatRgbnir, 2.5), output, "SR_CONSISTENCY_SHIFT_LR_PX");
        Assert.Empty(files.Leftovers());
    }

    [Fact]
    public async Task Two_jobs_at_once_both_finish_correctly()
    {
        var (first, second) = (NewJobId(), NewJobId());
        var (firstOutput, secondOutput) = (files.File("landsat8-x3.tif"), files.File("landsat7-x1.5.tif"));

        await Task.WhenAll(
            Pipeline.Job(first).Submit(Spec(SharedScenes.LandsatRgbnir, firstOutput, 3)),
            Pipeline.Job(second).Submit(Spec(SharedScenes.Landsat7, secondOutput, 1.5)));
        var statuses = await Task.WhenAll(Pipeline.WaitForEndAsync(first), Pipeline.WaitForEndAsync(second));

        Assert.All(statuses, JobAssertions.Completed);
        TiffContent.AssertSame(SceneFiles.Reference(SharedScenes.LandsatRgbnir, 3), firstOutput);
        TiffContent.AssertSame(SceneFiles.Reference(SharedScenes.Landsat7, 1.5), secondOutput);
    }

    [Fact]
    public async Task Corrupt_inputs_fail_their_jobs_clearly_and_the_cluster_runs_the_next_job()
    {
        var garbage = files.File("not-a-tiff.tif");
        await File.WriteAllTextAsync(garbage, "this is not a TIFF file");
        // A valid header (at the end of this file) over deflate data scrambled in the middle: the job plans, then
        // reads of the damaged part fail on every attempt.
        var damaged = files.File("damaged.tif");
        var bytes = await File.ReadAllBytesAsync(SharedScenes.LandsatRgbnir);
        new Random(5).NextBytes(bytes.AsSpan(bytes.Length / 3, bytes.Length / 3));
        await File.WriteAllBytesAsync(damaged, bytes);
        var (garbageJob, damagedJob, goodJob) = (NewJobId(), NewJobId(), NewJobId());

        await Pipeline.Job(garbageJob).Submit(Spec(garbage, files.File("garbage-x2.tif"), 2));
        await Pipeline.Job(damagedJob).Submit(Spec(damaged, files.File("damaged-x2.tif"), 2));
        var garbageStatus = await Pipeline.WaitForEndAsync(garbageJob);
        var damagedStatus = await Pipeline.WaitForEndAsync(damagedJob);
        await Pipeline.Job(goodJob).Submit(Spec(SharedScenes.Landsat7, files.File("good-x2.tif"), 2));
        var goodStatus = await Pipeline.WaitForEndAsync(goodJob);

        Assert.Equal(JobState.Failed, garbageStatus.State);
        Assert.StartsWith(garbage, garbageStatus.Error);
        Assert.Equal(JobState.Failed, damagedStatus.State);
        Assert.StartsWith(damaged + ": ", damagedStatus.Error);
        Assert.EndsWith(", 3 attempts)", damagedStatus.Error);
        Assert.False(File.Exists(files.File("garbage-x2.tif")));
        Assert.False(File.Exists(files.File("damaged-x2.tif")));
        JobAssertions.Completed(goodStatus);
        TiffContent.AssertSame(SceneFiles.Reference(SharedScenes.Landsat7, 2), files.File("good-x2.tif"));
        Assert.Empty(files.Leftovers());
    }

    [Fact]
    public async Task A_job_cancelled_mid_way_leaves_no_output_and_releases_its_grains()
    {
        var output = files.File("cancelled-x2.tif");
        var id = NewJobId();
        Pipeline.Gate.PauseAfter(8);
        try
        {
            await Pipeline.Job(id).Submit(Spec(SharedScenes.LandsatRgbnir, output, 2));
            await Pipeline.WaitUntilAsync(id, status => status.TilesDone >= 4 && Pipeline.Gate.Blocked > 0);

            var cancelled = await Pipeline.Job(id).Cancel();

            Assert.Equal(JobState.Cancelled, cancelled.State);
            Assert.False(File.Exists(output));
            Assert.Empty(files.Leftovers());
        }
        finally
        {
            Pipeline.Gate.Open();
        }
        // Tiles that were inside the model when the job was cancelled finish now; they must not wake its grains.
        await Task.Delay(500);
        Assert.Equal(0, await ActivationsOfJob<IBlockStitchGrain>(id, eventually: true));
        Assert.Equal(0, await ActivationsOfJob<ISceneWriterGrain>(id, eventually: true));
        Assert.Equal(JobState.Cancelled, (await Pipeline.Job(id).GetStatus()).State);
        Assert.False(File.Exists(output));
    }

    /// <summary>Activations of grains of this type whose key belongs to the job; with <paramref name="eventually"/>,
    /// waits a few seconds for deactivations in progress.</summary>
    async Task<int> ActivationsOfJob<TGrain>(string jobId, bool eventually) where TGrain : IGrainWithStringKey
    {
        var type = Pipeline.Client.GetGrain<TGrain>("probe").GetGrainId().Type;
        var management = Pipeline.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(eventually ? 5 : 0);
        while (true)
        {
            var active = (await management.GetActiveGrains(type)).Count(grain => grain.Key.ToString()!.StartsWith(jobId, StringComparison.Ordinal));
            if (active == 0 || DateTime.UtcNow >= deadline) return active;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_NaN_pixel_stays_on_its_footprint_on_the_cluster_as_in_process()
    {
        var scene = FloatScenes.WithNaN(files.File("nan.tif"), 300, 200, 3, (150, 100), (7, 190));
        var output = files.File("nan-x2.tif");
        var id = NewJobId();

        await Pipeline.Job(id).Submit(Spec(scene, output, 2));
        JobAssertions.Completed(await Pipeline.WaitForEndAsync(id));

        TiffContent.AssertSame(SceneFiles.Reference(scene, 2), output);
        var hr = FloatScenes.ReadAll(output);
        var nan = Enumerable.Range(0, hr.Width * hr.Height).Count(i => float.IsNaN(hr.Data[i]));
        Assert.Equal(2 * 4, nan); // two LR pixels, each a 2×2 footprint
    }

    public void Dispose() => files.Dispose();
}
