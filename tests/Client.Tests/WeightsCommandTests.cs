namespace Pipeline.Client.Tests;

/// <summary>
/// <c>sr weights</c> end to end: the shipped E²DiffSR weights exported as an authors'-code checkpoint run again with
/// <c>--model &lt;file.ckpt&gt;</c> (imported once into the cache) and give the shipped model's pixels; a hostile
/// checkpoint is one error line and exit 1.
/// </summary>
public class WeightsCommandTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("sr-weights-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task An_exported_checkpoint_runs_as_the_model_it_came_from()
    {
        var shipped = Path.Combine(Repository.Root, "models", "e2diffsr-small.safetensors");
        var checkpoint = Path.Combine(folder, "e2diffsr-small.ckpt");
        var export = await Sr.RunAsync(["weights", "export", shipped, "--format", "ldcsr", "--out", checkpoint]);
        Assert.True(export.ExitCode == 0, export.Stdout + export.Stderr);

        var environment = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = Path.Combine(folder, "cache") };
        var scene = TestScenes.NeonRgb;
        var fromCheckpoint = Path.Combine(folder, "ckpt.tif");
        var run = await Sr.RunAsync(["upscale", scene, "--out", fromCheckpoint, "--scale", "2", "--model", checkpoint, "--quiet"], environment);
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var fromShipped = Path.Combine(folder, "shipped.tif");
        var reference = await Sr.RunAsync(["upscale", scene, "--out", fromShipped, "--scale", "2", "--model", shipped, "--quiet"]);
        Assert.True(reference.ExitCode == 0, reference.Stdout + reference.Stderr);
        TiffContent.AssertPixelsSame(fromShipped, fromCheckpoint);

        var imported = Assert.Single(Directory.GetFiles(Path.Combine(folder, "cache", "sr", "imported")));
        var info = await Sr.RunAsync(["weights", "info", imported]);
        Assert.Contains("source_format      ldcsr-second-stage", info.Stdout);
        Assert.Contains("unet_weights       ema", info.Stdout);
        Assert.Contains($"source_file        e2diffsr-small.ckpt", info.Stdout);
    }

    [Fact]
    public async Task A_checkpoint_that_runs_code_is_one_error_line()
    {
        var evil = Path.Combine(folder, "evil.ckpt");
        using (var zip = System.IO.Compression.ZipFile.Open(evil, System.IO.Compression.ZipArchiveMode.Create))
        using (var stream = zip.CreateEntry("archive/data.pkl").Open())
            stream.Write([0x80, 0x02, .. "cos\nsystem\n"u8, (byte)'X', 4, 0, 0, 0, .. "true"u8, 0x85, (byte)'R', (byte)'.']);
        var run = await Sr.RunAsync(["weights", "import", evil, "--out", Path.Combine(folder, "w.safetensors")]);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {evil}: the pickle asks for 'os.system', which is not tensor or plain data; refused, nothing was run", run.Stderr.Trim());
        Assert.Empty(Directory.GetFiles(folder, "w.safetensors*"));
    }
}
