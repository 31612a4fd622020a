using Pipeline.Imaging.GeoTiff;

namespace Pipeline.Cluster.Tests;

/// <summary>Standalone silo processes load the shipped models from their configuration (Pipeline:Model): E²DiffSR, with a
/// job carrying its scene's black and white levels to them, so that a uint16 scene upscaled on the cluster is the
/// embedded run's, value for value; and IDM, whose only noise is the scene-wide field read at global HR coordinates,
/// so that two silos write what the embedded run writes.</summary>
public sealed class ShippedModelClusterTests : IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("sr-shipped-model-").FullName;

    [Theory]
    [InlineData("fp32")]
    [InlineData("bf16")]
    public async Task Silo_processes_running_the_shipped_model_write_what_the_embedded_run_writes(string precision)
    {
        var scene = TestScenes.LandsatRgbnir;
        var embedded = Path.Combine(work, "embedded.tif");
        var local = await Sr.RunAsync(["upscale", scene, "--out", embedded, "--scale", "2", "--model", "small", "--precision", precision, "--quiet"]);
        Assert.True(local.ExitCode == 0, local.Stdout + local.Stderr);

        await using var redis = await RedisServer.StartAsync();
        var settings = SiloCluster.Redis(redis.ConnectionString);
        settings["Pipeline__Model__Precision"] = precision;
        await using var cluster = await SiloCluster.StartAsync(2, settings, work, model: "small");
        var output = Path.Combine(work, "cluster.tif");
        // No --model: the job takes the model the silos run.
        var result = await Sr.RunAsync(["upscale", scene, "--out", output, "--scale", "2", "--quiet", "--cluster", redis.ConnectionString],
            cluster.ClientEnvironment);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr + "\n" + cluster.LogTails());
        TiffContent.AssertSame(embedded, output);
        Assert.NotEqual(Pixels(TestScenes.Reference(scene, 2)), Pixels(output));
    }

    [Fact]
    public async Task Two_silos_running_idm_upscale_the_sample_scene_as_the_embedded_run_does()
    {
        // The README's sample scene at ×2 in the model's default tiles (9 of them); two DDIM steps keep it to about a
        // minute a run. The silos' steps are their Pipeline:Model:Steps.
        var scene = Path.Combine(Repository.Root, "samples", "neon_BART_2019_rgb_10cm_crop512.tif");
        var embedded = Path.Combine(work, "idm-embedded.tif");
        var local = await Sr.RunAsync(["upscale", scene, "--out", embedded, "--scale", "2", "--model", "idm-small", "--steps", "2", "--quiet"]);
        Assert.True(local.ExitCode == 0, local.Stdout + local.Stderr);

        await using var redis = await RedisServer.StartAsync();
        var settings = SiloCluster.Redis(redis.ConnectionString);
        settings["Pipeline__Model__Steps"] = "2";
        await using var cluster = await SiloCluster.StartAsync(2, settings, work, model: "idm-small");
        var output = Path.Combine(work, "idm-cluster.tif");
        var result = await Sr.RunAsync(["upscale", scene, "--out", output, "--scale", "2", "--model", "idm-small", "--quiet",
            "--cluster", redis.ConnectionString], cluster.ClientEnvironment);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr + "\n" + cluster.LogTails());
        TiffContent.AssertSame(embedded, output);
        Assert.NotEqual(Pixels(TestScenes.Reference(scene, 2)), Pixels(output));
    }

    static float[] Pixels(string path)
    {
        using var reader = GeoTiffReader.Open(path);
        return reader.Read(new Imaging.Rasters.PixelWindow(0, 0, reader.Info.Width, reader.Info.Height)).Data;
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
