using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Bench;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>bench [--scenes folder] [--scale s]</c>: read/write/blend throughput and peak memory per real scene,
/// each scene in a fresh child process, printed as a Markdown table.
/// </summary>
static class BenchCommand
{
    public static Command Create()
    {
        var scenes = new Option<DirectoryInfo>("--scenes") { Description = "Folder of GeoTIFF scenes (searched recursively)", DefaultValueFactory = _ => new DirectoryInfo("../shared/data/scenes") };
        var scale = new Option<double>("--scale") { Description = "Scale for the blend and end-to-end measurements", DefaultValueFactory = _ => 2 }.Invariant();
        var single = new Option<FileInfo?>("--single") { Description = "Measure one scene in this process and print JSON (used by the bench itself)", Hidden = true };
        var command = new Command("bench", "Measures GeoTIFF read/write throughput, blending throughput and peak memory on real scenes.")
        {
            scenes, scale, single,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            if (parse.GetValue(single) is { } one)
            {
                Console.WriteLine(SceneBenchmark.ToJson(SceneBenchmark.Measure(one.FullName, parse.GetValue(scale))));
                return;
            }
            var folder = parse.GetValue(scenes)!;
            if (!folder.Exists) throw new DirectoryNotFoundException($"{folder.FullName}: scene folder not found");
            var files = folder.GetFiles("*.tif", SearchOption.AllDirectories).OrderBy(f => f.Length).ToArray();
            if (files.Length == 0) throw new FileNotFoundException($"{folder.FullName}: no .tif scenes");
            PrintTable(files.Select(f => MeasureInChild(f.FullName, parse.GetValue(scale))));
        }));
        return command;
    }

    static SceneMeasurement MeasureInChild(string scene, double scale)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        // Under `dotnet sr.dll` the process path is dotnet itself and the entry assembly must be named.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        foreach (var a in new[] { "bench", "--single", scene, "--scale", scale.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"{scene}: benchmark child failed with exit code {child.ExitCode}");
        return SceneBenchmark.FromJson(output.Trim().Split('\n')[^1]);
    }

    static void PrintTable(IEnumerable<SceneMeasurement> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine("| scene | size | bands/type | read MB/s | write MB/s | blend out MP/s | upscale ×s: s, out MP/s | overcompute | peak RSS MB | model tiles' overcompute ×2 / ×4 |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in rows)
        {
            Console.WriteLine(string.Create(inv,
                $"| {m.Scene} | {m.Width}×{m.Height} | {m.Bands} {m.SampleType} | {m.ReadMBps:F0} | {m.WriteMBps:F0} | {m.BlendMPps:F0} | ×{m.Scale}: {m.EndToEndSeconds:F2} s, {m.EndToEndMPps:F1} | {m.Overcompute:P0} | {m.PeakMemoryMB:F0} | {m.ModelOvercompute2:P1} / {m.ModelOvercompute4:P1} |"));
        }
    }
}
