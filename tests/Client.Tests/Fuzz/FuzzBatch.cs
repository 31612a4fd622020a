using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Client.Tests.Fuzz;

/// <summary>
/// One real <c>sr batch --model bicubic</c> over a folder of fuzzed inputs, judged by the fuzz suites' rules: every
/// case ends as an output gdalinfo reads or a clean one-line error naming its file; no crash (every case in the
/// report), no hang (5 minutes for all), no leftover file of any name (a done scene's consistency map, STAC item and thumbnail are outputs),
/// and the peak RSS of the batch process.
/// </summary>
static class FuzzBatch
{
    /// <param name="Done">The inputs that ended in an output.</param>
    public sealed record Result(int Cases, int Ok, int Errors, List<string> Unclean, int Reported, List<string> Leftovers, long PeakRss, int ExitCode,
        List<string> Done)
    {
        public string Summary => $"{Cases} cases: {Ok} ok, {Errors} clean errors, {Unclean.Count} unclean, {Cases - Reported} missing (crashes), 0 hangs, " +
                                 $"{Leftovers.Count} leftovers; peak RSS {PeakRss / 1e6:F0} MB; exit {ExitCode}";
    }

    public static async Task<Result> RunAsync(string inputs, string outputs, int cases, string? pattern = null)
    {
        var inputFiles = Directory.GetFileSystemEntries(inputs).Order().ToList();
        await using var batch = Sr.Start(["batch", "--input", inputs, "--output", outputs, "--scale", "2", "--model", "bicubic", "--quiet",
            .. pattern is null ? Array.Empty<string>() : ["--pattern", pattern]]);
        var sampling = PeakRssWhileRunning(batch);
        var exitCode = await batch.WaitAsync(TimeSpan.FromMinutes(5)); // throws on a hang
        var peak = await sampling;

        var reportPath = Path.Combine(outputs, "batch-report.json");
        Assert.True(File.Exists(reportPath), $"the batch wrote no report (exit {exitCode}):\n{string.Join("\n", batch.Stderr.Split('\n').Where(line => line.Contains("xception") || line.StartsWith("error", StringComparison.Ordinal)).Take(6))}");
        var report = JsonDocument.Parse(File.ReadAllText(reportPath)).RootElement;
        var scenes = report.GetProperty("scenes").EnumerateArray().ToList();
        var (ok, errors, bad, done) = (0, 0, new List<string>(), new List<string>());
        foreach (var scene in scenes)
        {
            var (input, outputPath, status) = (scene.GetProperty("input").GetString()!, scene.GetProperty("output").GetString()!, scene.GetProperty("status").GetString());
            if (status == "done")
            {
                ok++;
                done.Add(input);
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
        var expectedOutputs = scenes.Where(s => s.GetProperty("status").GetString() == "done")
            .SelectMany(s => (string[])[s.GetProperty("output").GetString()!,
                .. s.TryGetProperty("consistency", out var c) && c.ValueKind == JsonValueKind.Object && c.GetProperty("map").GetString() is { } map ? [map] : Array.Empty<string>()])
            // Each done scene's STAC item, and the batch's collection and item collection over them.
            .Concat(scenes.Where(s => s.GetProperty("status").GetString() == "done")
                .SelectMany(s => new[] { ".json", ".png" }.Select(extension => Path.ChangeExtension(s.GetProperty("output").GetString()!, extension))))
            .Concat(new[] { "batch-report.json", "collection.json", "items.json" }.Select(name => Path.Combine(outputs, name))).ToHashSet();
        var leftovers = Directory.GetFiles(outputs, "*", SearchOption.AllDirectories).Where(f => !expectedOutputs.Contains(f))
            .Concat(Directory.GetFileSystemEntries(inputs).Except(inputFiles)).ToList();
        return new Result(cases, ok, errors, bad, scenes.Count, leftovers, peak, exitCode, done);
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
