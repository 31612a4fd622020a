using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Pipeline.Client.Tests.Fuzz;

/// <summary>
/// 300 seeded mutations of three small real scenes (uint8 RGB, uint16 4- and 6-band) through one real
/// <c>sr batch --model bicubic</c>: every case must end as a valid output (gdalinfo reads it) or a clean one-line
/// error naming its file; no crash, no hang (5 minutes for all), no leftover file of any name (a done scene's consistency
/// map is an output), peak RSS under 1 GB.
/// One batch process runs them all so the suite costs seconds, not a process start per case.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    const int Cases = 300;

    [Fact]
    public async Task Mutated_tiffs_end_in_a_valid_output_or_one_clean_error_with_nothing_left_behind()
    {
        var root = TestScenes.TemporaryFolder("sr-fuzz-");
        var (inputs, outputs) = (Directory.CreateDirectory(Path.Combine(root, "in")).FullName, Path.Combine(root, "out"));
        byte[][] sources =
        [
            File.ReadAllBytes(TestScenes.Crop("neon_BART_2019_rgb_10cm_1213x1106.tif", 48, 40)),
            File.ReadAllBytes(TestScenes.Crop("landsat8_UTM16N_30m_RGBNIR_627x603.tif", 40, 36)),
            File.ReadAllBytes(TestScenes.Crop("sentinel2_T18SVG_20160112_L1C_20m_6band_967x973.tif", 32, 32)),
        ];
        for (var i = 0; i < Cases; i++)
        {
            var family = TiffFuzzer.Families[i / sources.Length % TiffFuzzer.Families.Length];
            File.WriteAllBytes(Path.Combine(inputs, $"case-{i:D3}-{family}.tif"), TiffFuzzer.Mutate(sources[i % sources.Length], family, new Random(i)));
        }
        var inputFiles = Directory.GetFiles(inputs).Order().ToList();

        await using var batch = Sr.Start(["batch", "--input", inputs, "--output", outputs, "--scale", "2", "--model", "bicubic", "--quiet"]);
        var peak = await PeakRssWhileRunning(batch);
        var exitCode = await batch.WaitAsync(TimeSpan.FromMinutes(5)); // throws on a hang

        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outputs, "batch-report.json"))).RootElement;
        var scenes = report.GetProperty("scenes").EnumerateArray().ToList();
        var (ok, errors, bad) = (0, 0, new List<string>());
        foreach (var scene in scenes)
        {
            var (input, outputPath, status) = (scene.GetProperty("input").GetString()!, scene.GetProperty("output").GetString()!, scene.GetProperty("status").GetString());
            if (status == "done")
            {
                ok++;
                if (!GdalReads(outputPath)) bad.Add($"{input}: output not readable by gdalinfo");
            }
            else
            {
                errors++;
                var error = scene.GetProperty("error").GetString() ?? "";
                if (error.Length == 0 || error.Contains('\n') || error.Contains("   at ") || error.Contains("Exception"))
                    bad.Add($"{input}: unclean error '{error}'");
            }
        }
        // A done scene's output, and its consistency map when the report names one.
        var expectedOutputs = scenes.Where(s => s.GetProperty("status").GetString() == "done")
            .SelectMany(s => (string[])[s.GetProperty("output").GetString()!,
                .. s.TryGetProperty("consistency", out var c) && c.ValueKind == JsonValueKind.Object && c.GetProperty("map").GetString() is { } map ? [map] : Array.Empty<string>()])
            .Append(Path.Combine(outputs, "batch-report.json")).ToHashSet();
        var leftovers = Directory.GetFiles(outputs, "*", SearchOption.AllDirectories).Where(f => !expectedOutputs.Contains(f))
            .Concat(Directory.GetFiles(inputs).Except(inputFiles)).ToList();

        output.WriteLine($"{Cases} cases: {ok} ok, {errors} clean errors, {bad.Count} unclean, {Cases - scenes.Count} missing (crashes), 0 hangs, " +
                         $"{leftovers.Count} leftovers; peak RSS {peak / 1e6:F0} MB; exit {exitCode}");
        Assert.Equal(Cases, scenes.Count);
        Assert.Empty(bad);
        Assert.Empty(leftovers);
        Assert.InRange(peak, 1, 1_000_000_000);
        Assert.True(ok > 0 && errors > 0, "the mutations should produce both outcomes");
    }

    /// <summary>The process's peak resident set (VmHWM), sampled until it exits.</summary>
    static async Task<long> PeakRssWhileRunning(ChildProcess process)
    {
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null) peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024);
            }
            catch (IOException)
            {
            }
            await Task.Delay(50);
        }
        return peak;
    }

    static bool GdalReads(string path)
    {
        using var gdal = Process.Start(new ProcessStartInfo("gdalinfo", ["-checksum", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        gdal.StandardOutput.ReadToEnd();
        gdal.WaitForExit();
        return gdal.ExitCode == 0;
    }
}
