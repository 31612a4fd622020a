
namespace Pipeline.Client.Tests;

/// <summary><c>sr batch</c> as a user runs it (a process, an embedded silo, bicubic), on crops of the real scenes.</summary>
public sealed class BatchCommandTests : IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("sr-batch-").FullName;

    [Fact]
    public async Task A_folder_is_searched_recursively_and_its_layout_mirrored_under_the_output_with_the_in_process_pixels()
    {
        var input = Archive("archive", ("neon.tif", TestScenes.NeonRgb), ("landsat/rgbnir.tif", TestScenes.LandsatRgbnir), ("landsat/pan.TIFF", TestScenes.LandsatPan));
        File.WriteAllText(Path.Combine(input, "landsat", "notes.txt"), "not a scene");
        var output = Path.Combine(work, "out");

        var result = await Batch("--input", input, "--output", output, "--scale", "2");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("batch: 3 scenes: 3 done, 0 skipped, 0 failed", result.Stdout);
        var report = ReportFile.Read(Path.Combine(output, "batch-report.json"));
        Assert.Equal((3, 3, 0, 0), (report.Total, report.Done, report.Skipped, report.Failed));
        foreach (var (relative, source) in new[] { ("neon.tif", TestScenes.NeonRgb), ("landsat/rgbnir.tif", TestScenes.LandsatRgbnir), ("landsat/pan.TIFF", TestScenes.LandsatPan) })
        {
            var scene = report.Scene(Path.Combine(input, relative));
            var written = Path.Combine(output, relative);
            Assert.Equal(("done", written), (ReportFile.Status(scene), (string)scene["output"]!));
            Assert.Equal(new FileInfo(written).Length, (long)scene["outputBytes"]!);
            Assert.True((int)scene["tiles"]! > 0);
            Assert.True((double)scene["seconds"]! > 0);
            Assert.Null(scene["error"]);
            TiffContent.AssertSame(TestScenes.Reference(source, 2), written);
        }
        Assert.Empty(Directory.GetFiles(output, "*.partial-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_pattern_chooses_the_scenes_of_a_folder()
    {
        var input = Archive("patterned", ("a/pan_b8.tif", TestScenes.LandsatPan), ("a/rgb.tif", TestScenes.NeonRgb), ("b/c/pan_b8.tif", TestScenes.LandsatPan));
        var output = Path.Combine(work, "out");

        var result = await Batch("--input", input, "--output", output, "--scale", "1.5", "--pattern", "*_b8.tif", "--quiet");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(["a/pan_b8.tif", "b/c/pan_b8.tif"], ReportFile.Read(Path.Combine(output, "batch-report.json")).Scenes
            .Select(scene => Path.GetRelativePath(output, (string)scene["output"]!)).Order());
    }

    [Fact]
    public async Task A_pattern_picks_jpeg2000_scenes_which_gdal_reads_and_each_is_written_as_a_tif_like_its_tiff()
    {
        var input = Path.Combine(work, "jp2");
        Directory.CreateDirectory(Path.Combine(input, "b"));
        foreach (var (name, scene) in new[] { ("pan.jp2", TestScenes.LandsatPan), ("b/rgbnir.jp2", TestScenes.LandsatRgbnir) })
        {
            using var translate = System.Diagnostics.Process.Start("gdal_translate",
                ["-q", "-of", "JP2OpenJPEG", "-co", "REVERSIBLE=YES", "-co", "QUALITY=100", scene, Path.Combine(input, name)])!;
            await translate.WaitForExitAsync();
        }
        var output = Path.Combine(work, "out");

        var result = await Batch("--input", input, "--output", output, "--scale", "2", "--pattern", "*.jp2", "--quiet");

        Assert.True(result.ExitCode == 0, result.Stderr);
        TiffContent.AssertPixelsSame(TestScenes.Reference(TestScenes.LandsatPan, 2), Path.Combine(output, "pan.tif"));
        TiffContent.AssertPixelsSame(TestScenes.Reference(TestScenes.LandsatRgbnir, 2), Path.Combine(output, "b", "rgbnir.tif"));
    }

    [Fact]
    public async Task A_csv_manifest_resolves_paths_against_its_folder_and_takes_each_rows_output_and_scale()
    {
        var folder = Archive("manifest", ("scenes/neon.tif", TestScenes.NeonRgb), ("scenes/pan.tif", TestScenes.LandsatPan));
        var manifest = Path.Combine(folder, "manifest.csv");
        File.WriteAllText(manifest, "input,output,scale\nscenes/neon.tif,,\n\"scenes/pan.tif\",custom/pan_x3.tif,3\n");
        var output = Path.Combine(work, "out");

        var result = await Batch("--input", manifest, "--output", output, "--scale", "2", "--report", Path.Combine(work, "report.json"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(2, ReportFile.Read(Path.Combine(work, "report.json")).Done);
        TiffContent.AssertSame(TestScenes.Reference(TestScenes.NeonRgb, 2), Path.Combine(output, "scenes", "neon.tif"));
        var pan = TestScenes.Header(TestScenes.LandsatPan);
        var x3 = TestScenes.Header(Path.Combine(folder, "custom", "pan_x3.tif"));
        Assert.Equal((pan.Width * 3, pan.Height * 3), (x3.Width, x3.Height));
    }

    [Fact]
    public async Task A_json_manifest_takes_absolute_inputs_and_writes_rows_without_an_output_into_the_output_folder()
    {
        var manifest = Path.Combine(work, "list.json");
        File.WriteAllText(manifest, $$"""[ { "input": "{{TestScenes.LandsatRgbnir}}", "scale": 1.5 }, { "input": "{{TestScenes.NeonRgb}}" } ]""");
        var output = Path.Combine(work, "out");

        var result = await Batch("--input", manifest, "--output", output, "--scale", "2");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var rgbnir = TestScenes.Header(TestScenes.LandsatRgbnir);
        var written = TestScenes.Header(Path.Combine(output, Path.GetFileName(TestScenes.LandsatRgbnir)));
        Assert.Equal(((int)(rgbnir.Width * 1.5), (int)(rgbnir.Height * 1.5), 4), (written.Width, written.Height, written.Bands));
        TiffContent.AssertSame(TestScenes.Reference(TestScenes.NeonRgb, 2), Path.Combine(output, Path.GetFileName(TestScenes.NeonRgb)));
    }

    /// <summary>What a crashed run leaves: a deleted (never written) output, a temporary file, and a file cut short
    /// under the final name. The next run redoes those two scenes, skips the complete one, and cleans up.</summary>
    [Fact]
    public async Task A_second_run_skips_complete_outputs_and_redoes_what_a_crash_left()
    {
        var input = Archive("resume", ("neon.tif", TestScenes.NeonRgb), ("rgbnir.tif", TestScenes.LandsatRgbnir), ("pan.tif", TestScenes.LandsatPan));
        var output = Path.Combine(work, "out");
        Assert.Equal(0, (await Batch("--input", input, "--output", output, "--scale", "2")).ExitCode);
        var (neon, rgbnir, pan) = (Path.Combine(output, "neon.tif"), Path.Combine(output, "rgbnir.tif"), Path.Combine(output, "pan.tif"));
        File.Delete(neon);
        File.WriteAllText(neon + ".partial-0badf00d", "a crashed run's temporary file");
        var bytes = File.ReadAllBytes(rgbnir);
        File.WriteAllBytes(rgbnir, bytes[..(bytes.Length / 2)]);
        var panWritten = File.GetLastWriteTimeUtc(pan);

        var result = await Batch("--input", input, "--output", output, "--scale", "2");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var report = ReportFile.Read(Path.Combine(output, "batch-report.json"));
        Assert.Equal(("done", "done", "skipped"),
            (ReportFile.Status(report.Scene(Path.Combine(input, "neon.tif"))), ReportFile.Status(report.Scene(Path.Combine(input, "rgbnir.tif"))),
             ReportFile.Status(report.Scene(Path.Combine(input, "pan.tif")))));
        Assert.Equal(panWritten, File.GetLastWriteTimeUtc(pan));
        TiffContent.AssertSame(TestScenes.Reference(TestScenes.NeonRgb, 2), neon);
        TiffContent.AssertSame(TestScenes.Reference(TestScenes.LandsatRgbnir, 2), rgbnir);
        Assert.Empty(Directory.GetFiles(output, "*.partial-*"));
    }

    [Fact]
    public async Task A_corrupt_scene_fails_alone_with_an_error_naming_it_and_a_non_zero_exit_code()
    {
        var input = Archive("corrupt", ("a.tif", TestScenes.NeonRgb), ("c.tif", TestScenes.LandsatPan));
        var bad = Path.Combine(input, "b.tif");
        var bytes = File.ReadAllBytes(TestScenes.LandsatRgbnir);
        File.WriteAllBytes(bad, bytes[..(bytes.Length / 3)]);
        var output = Path.Combine(work, "out");

        var result = await Batch("--input", input, "--output", output, "--scale", "2");

        Assert.Equal(1, result.ExitCode);
        var report = ReportFile.Read(Path.Combine(output, "batch-report.json"));
        Assert.Equal((2, 0, 1), (report.Done, report.Skipped, report.Failed));
        var failed = report.Scene(bad);
        Assert.Equal("failed", ReportFile.Status(failed));
        Assert.StartsWith(bad + ": ", (string)failed["error"]!);
        Assert.Contains($"error: {bad}: ", result.Stderr);
        Assert.False(File.Exists(Path.Combine(output, "b.tif")));
        TiffContent.AssertSame(TestScenes.Reference(TestScenes.LandsatPan, 2), Path.Combine(output, "c.tif"));
    }

    [Fact]
    public async Task A_missing_input_folder_is_one_error_line_naming_it()
    {
        var missing = Path.Combine(work, "no-such-archive");
        var output = Path.Combine(work, "out");

        var result = await Batch("--input", missing, "--output", output, "--scale", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {missing}: no such input folder or manifest", result.Stderr.Trim());
        Assert.Equal("", result.Stdout);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_concurrency_below_one_is_a_usage_error()
    {
        var result = await Batch("--input", work, "--output", Path.Combine(work, "out"), "--scale", "2", "--concurrency", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--concurrency must be at least 1", result.Stderr);
    }

    [Fact]
    public async Task Scenes_of_different_radiometry_share_the_embedded_model_and_each_keeps_its_own_levels()
    {
        var input = Archive("mixed", ("neon.tif", TestScenes.NeonRgb), ("rgbnir.tif", TestScenes.LandsatRgbnir));
        var output = Path.Combine(work, "mixed-out");

        var result = await Sr.RunAsync(["batch", "--input", input, "--output", output, "--scale", "2", "--model", "small", "--quiet"]);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        foreach (var name in new[] { "neon.tif", "rgbnir.tif" })
        {
            var alone = Path.Combine(work, $"alone-{name}");
            var single = await Sr.RunAsync(["upscale", Path.Combine(input, name), "--out", alone, "--scale", "2", "--model", "small", "--quiet"]);
            Assert.True(single.ExitCode == 0, single.Stdout + single.Stderr);
            TiffContent.AssertSame(alone, Path.Combine(output, name));
        }
    }

    Task<Sr.Result> Batch(params string[] arguments) => Sr.RunAsync(["batch", .. arguments, "--model", "bicubic"]);

    /// <summary>A folder of copies of <paramref name="scenes"/> at the given relative paths.</summary>
    string Archive(string name, params (string Relative, string Source)[] scenes)
    {
        var folder = Path.Combine(work, name);
        foreach (var (relative, source) in scenes)
        {
            var target = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
        return folder;
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
