using Pipeline.Imaging.GeoTiff;

namespace Pipeline.Cluster.Tests;

/// <summary>Standalone silo processes load the shipped E²DiffSR model from their configuration (Pipeline:Model), and a
/// job carries its scene's black and white levels to them, so a uint16 scene upscaled on the cluster is the embedded
/// run's, value for value.</summary>
public sealed class ShippedModelClusterTests : IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("sr-shipped-model-").FullName;

    [Fact]
    public async Task Silo_processes_running_the_shipped_model_write_what_the_embedded_run_writes()
    {
        var scene = TestScenes.LandsatRgbnir;
        var embedded = Path.Combine(work, "embedded.tif");
        var local = await Sr.RunAsync(["upscale", scene, "--out", embedded, "--scale", "2", "--model", "small", "--quiet"]);
        Assert.True(local.ExitCode == 0, local.Stdout + local.Stderr);

        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await SiloCluster.StartAsync(2, SiloCluster.Redis(redis.ConnectionString), work, model: "small");
        var output = Path.Combine(work, "cluster.tif");
        // No --model: the job takes the model the silos run.
        var result = await Sr.RunAsync(["upscale", scene, "--out", output, "--scale", "2", "--quiet", "--cluster", redis.ConnectionString],
            cluster.ClientEnvironment);

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
