using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Client.Tests;

/// <summary>
/// Consistency end to end: the shipped model's output of a real scene is measured by its job (summary line, the
/// output's GDAL metadata, the map), is not flagged, and <c>sr consistency</c> agrees with the job; the same output
/// broken four ways (shifted one LR pixel, bands swapped, noise added, a colour cast) is flagged each time for what
/// is wrong; <c>--max-inconsistency</c> keeps a failing output aside without touching the file at --out.
/// </summary>
public partial class ConsistencyTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("sr-consistency-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task The_shipped_model_is_consistent_and_four_broken_outputs_are_flagged()
    {
        var scene = TestScenes.NeonRgb;
        var output = Path.Combine(folder, "x2.tif");
        var run = await Sr.RunAsync(["upscale", scene, "--out", output, "--scale", "2", "--quiet"]);
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var line = Assert.Single(run.Stdout.Split('\n'), l => l.StartsWith("consistency: ", StringComparison.Ordinal));
        Assert.EndsWith($": ok; map {Path.Combine(folder, "x2.consistency.tif")}", line.Trim());
        var jobFigure = double.Parse(Percent().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(jobFigure, 0.01, 2);
        Assert.True(File.Exists(Path.Combine(folder, "x2.consistency.tif")));

        using (var reader = GeoTiffReader.Open(output))
        {
            Assert.Contains("<Item name=\"SR_CONSISTENCY_FLAGS\">none</Item>", reader.Info.GdalMetadataXml);
            Assert.Contains("SR_CONSISTENCY_INCONSISTENCY_PERCENT", reader.Info.GdalMetadataXml);
        }

        // The whole-image check of the same files agrees with the job's tiles (they differ only in blend zones).
        var check = await Sr.RunAsync(["consistency", scene, output, "--json"]);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        var figures = JsonDocument.Parse(check.Stdout).RootElement;
        Assert.Equal(jobFigure, figures.GetProperty("inconsistencyPercent").GetDouble(), 0.05 * jobFigure + 0.002);
        Assert.Empty(figures.GetProperty("flags").EnumerateArray());

        foreach (var (name, expected, change) in Breakages)
        {
            var broken = Path.Combine(folder, $"{name}.tif");
            Rewrite(output, broken, change);
            var result = await Sr.RunAsync(["consistency", scene, broken]);
            Assert.True(result.ExitCode == 1, $"{name}: {result.Stdout}{result.Stderr}");
            Assert.Contains("FLAGGED", result.Stdout);
            Assert.Contains(expected, result.Stdout);
        }
    }

    [Fact]
    public async Task An_output_over_max_inconsistency_is_kept_aside_and_the_job_fails()
    {
        var scene = TestScenes.NeonRgb;
        var output = Path.Combine(folder, "x2.tif");
        await File.WriteAllTextAsync(output, "an earlier file that must survive");
        var run = await Sr.RunAsync(["upscale", scene, "--out", output, "--scale", "2", "--model", "bicubic", "--max-inconsistency", "0.01", "--quiet"]);

        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {scene}: the output is inconsistent with its input (", error);
        Assert.Contains($"over --max-inconsistency 0.01 %); kept as {Path.Combine(folder, "x2.rejected.tif")}, not written to {output}", error);
        Assert.Equal("an earlier file that must survive", await File.ReadAllTextAsync(output));
        Assert.True(File.Exists(Path.Combine(folder, "x2.rejected.tif")));
        Assert.True(File.Exists(Path.Combine(folder, "x2.consistency.tif")));

        var bad = await Sr.RunAsync(["upscale", scene, "--out", output, "--scale", "2", "--model", "bicubic", "--max-inconsistency", "-1"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--max-inconsistency must be a percentage of 0 or more, got -1", bad.Stderr);
    }

    [Fact]
    public async Task Consistency_off_measures_nothing_and_writes_the_same_pixels()
    {
        var scene = TestScenes.LandsatRgbnir;
        var (measured, unmeasured) = (Path.Combine(folder, "measured.tif"), Path.Combine(folder, "unmeasured.tif"));
        var report = await Sr.RunAsync(["upscale", scene, "--out", measured, "--scale", "2", "--model", "bicubic", "--quiet"]);
        var off = await Sr.RunAsync(["upscale", scene, "--out", unmeasured, "--scale", "2", "--model", "bicubic", "--quiet", "--consistency", "off"]);

        Assert.True(report.ExitCode == 0 && off.ExitCode == 0, report.Stderr + off.Stderr);
        Assert.Contains("consistency: ", report.Stdout);
        Assert.DoesNotContain("consistency: ", off.Stdout);
        Assert.False(File.Exists(Path.Combine(folder, "unmeasured.consistency.tif")));
        using (var a = GeoTiffReader.Open(measured))
        using (var b = GeoTiffReader.Open(unmeasured))
        {
            Assert.DoesNotContain("SR_CONSISTENCY", b.Info.GdalMetadataXml ?? "");
            var window = new PixelWindow(0, 0, a.Info.Width, a.Info.Height);
            Assert.Equal(a.Read(window).Data, b.Read(window).Data);
        }

        var bad = await Sr.RunAsync(["upscale", scene, "--out", unmeasured, "--scale", "2", "--model", "bicubic", "--consistency", "off", "--max-inconsistency", "1"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--max-inconsistency needs the consistency measured", bad.Stderr);
    }

    [Fact]
    public async Task Enforce_makes_the_blended_mosaic_consistent_with_its_input_at_an_awkward_scale()
    {
        var scene = TestScenes.NeonRgb;
        var output = Path.Combine(folder, "enforced.tif");
        var run = await Sr.RunAsync(["upscale", scene, "--out", output, "--scale", "2.37", "--consistency", "enforce", "--tile", "64", "--quiet"]);
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var jobFigure = double.Parse(Percent().Match(run.Stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(jobFigure <= EnforceTolerance, run.Stdout);
        using (var reader = GeoTiffReader.Open(output))
            Assert.Contains("<Item name=\"SR_CONSISTENCY_MODE\">enforce</Item>", reader.Info.GdalMetadataXml);

        // The file as a whole, tiles blended and rounded to uint8, not only each tile before blending.
        var check = await Sr.RunAsync(["consistency", scene, output, "--scale", "2.37", "--json"]);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        var figures = JsonDocument.Parse(check.Stdout).RootElement;
        Assert.True(figures.GetProperty("inconsistencyPercent").GetDouble() <= EnforceTolerance, check.Stdout);
        // What is left is mostly where uint8 clips the back-projected values (saturated roofs).
        Assert.True(figures.GetProperty("biasPercent").GetDouble() <= EnforceTolerance, check.Stdout);
    }

    [Fact]
    public async Task Uncertainty_adds_the_spread_of_k_draws_as_a_last_band_and_leaves_the_output_as_it_was()
    {
        var scene = TestScenes.NeonRgb;
        var plain = Path.Combine(folder, "plain.tif");
        var withSpread = Path.Combine(folder, "spread.tif");
        string[] common = ["--scale", "2", "--sampler", "e2diffsr", "--tile", "64", "--quiet"];
        var run = await Sr.RunAsync(["upscale", scene, "--out", plain, .. common]);
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        run = await Sr.RunAsync(["upscale", scene, "--out", withSpread, "--uncertainty", "3", .. common]);
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);

        using var first = GeoTiffReader.Open(plain);
        using var second = GeoTiffReader.Open(withSpread);
        Assert.Equal(first.Info.Bands + 1, second.Info.Bands);
        Assert.Equal("uncertainty: spread of 3 draws", second.Info.BandDescriptions[^1]);
        var (a, b) = (first.Read(new PixelWindow(0, 0, first.Info.Width, first.Info.Height)), second.Read(new PixelWindow(0, 0, second.Info.Width, second.Info.Height)));
        // Draw 0 is the mosaic: the output's own bands are those of the run without --uncertainty, bit for bit.
        for (var band = 0; band < a.Bands; band++) Assert.Equal(a.Band(band).ToArray(), b.Band(band).ToArray());
        var spread = b.Band(a.Bands).ToArray();
        Assert.True(spread.Average() > 0.2, $"the draws should differ: mean spread {spread.Average()} DN");

        var refused = await Sr.RunAsync(["upscale", scene, "--out", Path.Combine(folder, "det.tif"), "--scale", "2", "--uncertainty", "3", "--quiet"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith($"error: {scene}: --uncertainty needs a model that draws noise", refused.Stderr.Trim());
    }

    [Fact]
    public async Task Checking_a_file_that_is_not_an_output_of_the_input_is_one_error_line()
    {
        var scene = TestScenes.NeonRgb;
        var wrongSize = Path.Combine(folder, "wrong-size.tif");
        using (var reader = GeoTiffReader.Open(scene))
        {
            var info = reader.Info with { Width = 2 * reader.Info.Width + 3, Height = 2 * reader.Info.Height };
            using var writer = GeoTiffWriter.Create(wrongSize, info);
            writer.Write(new RasterBlock(new PixelWindow(0, 0, info.Width, info.Height), info.Bands));
            writer.Commit();
        }
        var result = await Sr.RunAsync(["consistency", scene, wrongSize, "--scale", "2"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {wrongSize}: is 515x448, not 256x224 at ×2 (512x448); give --scale", result.Stderr.Trim());

        var missing = await Sr.RunAsync(["consistency", scene, Path.Combine(folder, "none.tif")]);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: ", missing.Stderr.Trim());
        Assert.Single(missing.Stderr.Trim().Split('\n'));
    }

    /// <summary>The tolerance docs/usage.md states for --consistency enforce (percent of the range).</summary>
    const double EnforceTolerance = 0.25;

    /// <summary>What each breakage must be flagged for, and how it breaks an output at ×2 (2 HR px = 1 LR px).</summary>
    static readonly (string Name, string Flag, Action<RasterBlock> Change)[] Breakages =
    [
        ("shifted", "shift", block => Transform(block, (b, x, y) => block[b, Math.Max(0, x - 2), y])),
        ("swapped", "spectral angle", block => Transform(block, (b, x, y) => block[block.Bands - 1 - b, x, y])),
        ("noisy", "grain", block =>
        {
            var random = new Random(1);
            Transform(block, (b, x, y) => block[b, x, y] + (float)(12 * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2));
        }),
        ("cast", "colour bias", block => Transform(block, (b, x, y) => block[b, x, y] + (b == 0 ? 12 : 0))),
    ];

    static void Transform(RasterBlock block, Func<int, int, int, float> value)
    {
        var result = new float[block.Data.Length];
        for (var b = 0; b < block.Bands; b++)
            for (var y = 0; y < block.Height; y++)
                for (var x = 0; x < block.Width; x++) result[block.IndexOf(b, x, y)] = Math.Clamp(value(b, x, y), 0, 255);
        result.CopyTo(block.Data, 0);
    }

    static void Rewrite(string source, string target, Action<RasterBlock> change)
    {
        using var reader = GeoTiffReader.Open(source);
        var block = reader.Read(new PixelWindow(0, 0, reader.Info.Width, reader.Info.Height));
        change(block);
        using var writer = GeoTiffWriter.Create(target, reader.Info);
        writer.Write(block);
        writer.Commit();
    }

    [GeneratedRegex(@"consistency: ([0-9.]+) %")]
    private static partial Regex Percent();
}
