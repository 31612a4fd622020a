using Pipeline.Imaging.GeoTiff;

namespace Pipeline.Cluster.Tests;

/// <summary>IDM (the shipped idm-small, DDIM) on two standalone silo processes writes what the embedded run writes: its
/// only noise is the scene-wide field read at global HR coordinates, and each tile runs the same computation wherever
/// it lands. Two DDIM steps on small tiles keep the test short; the steps are the silos' Pipeline:Model:Steps.</summary>
public sealed class IdmClusterTests : IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("sr-idm-cluster-").FullName;

    [Fact]
    public async Task Two_silos_running_idm_write_what_the_embedded_run_writes()
    {
        var scene = TestScenes.NeonRgb;
        var embedded = Path.Combine(work, "embedded.tif");
        var local = await Sr.RunAsync(["upscale", scene, "--out", embedded, "--scale", "2", "--model", "idm-small", "--steps", "2", "--tile", "96", "--quiet"]);
        Assert.True(local.ExitCode == 0, local.Stdout + local.Stderr);

        await using var redis = await RedisServer.StartAsync();
        var settings = SiloCluster.Redis(redis.ConnectionString);
        settings["Pipeline__Model__Steps"] = "2";
        await using var cluster = await SiloCluster.StartAsync(2, settings, work, model: "idm-small");
        var output = Path.Combine(work, "cluster.tif");
        var result = await Sr.RunAsync(["upscale", scene, "--out", output, "--scale", "2", "--model", "idm-small", "--tile", "96", "--quiet",
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
