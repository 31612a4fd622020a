using Pipeline.Models.Weights;

namespace Pipeline.Cluster.Tests;

/// <summary>
/// One set of weights per job, cluster-wide: two silo processes load different files under the same model name
/// (deterministic-small, one weight changed). The job records the coordinating silo's SHA-256 and the other silo's
/// worker refuses its tiles, so the job fails at once with the reason instead of blending two models into one mosaic;
/// with both silos on the same file the job succeeds and reports the digest in its summary line, status --json and the
/// output's GDAL metadata.
/// </summary>
public sealed class WeightsMismatchClusterTests : IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("sr-weights-mismatch-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task A_silo_holding_other_bytes_under_the_model_name_refuses_the_job()
    {
        var shipped = Path.Combine(Repository.Root, "models", "deterministic-small.safetensors");
        var same = Path.Combine(work, "a.safetensors");
        File.Copy(shipped, same);
        var other = Path.Combine(work, "b.safetensors");
        var (metadata, entries) = SafeTensors.Read(shipped);
        SafeTensors.Write(other, entries.Select(e =>
        {
            var tensor = e.ToTensor();
            if (e.Name == "decoder.head.bias") tensor.add_(0.01f);
            return (e.Name, tensor);
        }), metadata);

        await using var redis = await RedisServer.StartAsync();
        var scene = TestScenes.NeonRgb;
        await using (var mixed = await SiloCluster.StartAsync([same, other], SiloCluster.Redis(redis.ConnectionString), work))
        {
            var output = Path.Combine(work, "mixed.tif");
            // Small tiles: both silos get some.
            var result = await Sr.RunAsync(["upscale", scene, "--out", output, "--scale", "2", "--tile", "64", "--quiet",
                "--cluster", redis.ConnectionString], mixed.ClientEnvironment);
            Assert.True(result.ExitCode == 1, result.Stdout + result.Stderr + "\n" + mixed.LogTails());
            Assert.Contains("holds other weights under the model name 'deterministic-small'", result.Stderr);
            Assert.Contains(WeightsDigest.Of(same)[..12], result.Stderr);
            Assert.Contains(WeightsDigest.Of(other)[..12], result.Stderr);
            Assert.Single(result.Stderr.Trim().Split('\n'));
            Assert.False(File.Exists(output));
        }

        await using var agreeing = await SiloCluster.StartAsync([same, same], SiloCluster.Redis(redis.ConnectionString), work);
        var good = Path.Combine(work, "agreeing.tif");
        var ok = await Sr.RunAsync(["upscale", scene, "--out", good, "--scale", "2", "--tile", "64", "--cluster", redis.ConnectionString], agreeing.ClientEnvironment);
        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr + "\n" + agreeing.LogTails());
        Assert.Contains($"deterministic-small weights sha256 {WeightsDigest.Of(same)[..12]}", ok.Stdout);
        using var reader = Pipeline.Imaging.GeoTiff.GeoTiffReader.Open(good);
        Assert.Contains($"<Item name=\"SR_WEIGHTS_SHA256\">{WeightsDigest.Of(same)}</Item>", reader.Info.GdalMetadataXml);

        var submitted = await Sr.RunAsync(["submit", scene, "--out", Path.Combine(work, "submitted.tif"), "--scale", "2", "--cluster", redis.ConnectionString],
            agreeing.ClientEnvironment);
        Assert.True(submitted.ExitCode == 0, submitted.Stdout + submitted.Stderr);
        var status = await Sr.RunAsync(["status", submitted.Stdout.Trim().Split('\n')[^1], "--wait", "--json", "--cluster", redis.ConnectionString],
            agreeing.ClientEnvironment);
        Assert.Equal(WeightsDigest.Of(same), (string)System.Text.Json.Nodes.JsonNode.Parse(status.Stdout)!["weightsSha256"]!);
    }
}
