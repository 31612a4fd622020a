using System.Diagnostics;
using System.Globalization;
using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Families;
using Pipeline.Models.Inference;
using Pipeline.Models.Layers;

namespace Pipeline.Bench;

/// <summary>
/// <c>sr bench-models</c> as a library call: seconds per output megapixel of bicubic and of every row the model
/// families offer (<see cref="IModelFamily.OpenForBenchmark"/>), through the same <see cref="ITileUpscaler"/> a scene
/// job uses, with the FLOPs counted on the run, the achieved GFLOP/s next to a large-convolution microbenchmark, and
/// each row's peak resident memory. Prints a table.
/// </summary>
public static class ModelBenchmark
{
    public static void Run(ModelBenchmarkRequest request, TextWriter output)
    {
        TorchThreads.Apply();
        var families = FamiliesOf(request);
        var s = request.Scale;
        var n = request.LrTile;
        var runs = Math.Max(1, request.Repeats);
        var lr = RandomTile(n);
        var hrWindow = new PixelWindow(0, 0, (int)Math.Floor(n * s), (int)Math.Floor(n * s));
        var megapixels = hrWindow.Area / 1e6;
        var peak = ConvThroughput.GigaflopsPerSecond(10);
        var device = TorchDevices.Parse(request.Device);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"×{s} on a {n}×{n} LR tile ({hrWindow.Width}×{hrWindow.Height} output), {TorchSharp.torch.get_num_threads()} torch threads; " +
            $"FLOPs = 2 × MACs of every conv/linear layer, counted on the run; peak = the process's resident high-water mark during the row " +
            $"(VmHWM, reset before each row; {ProcessMemory.ResidentMiB(Environment.ProcessId):F0} MiB resident before the first); " +
            $"the CPU's native bf16 instructions: {TorchPrecisions.CpuBf16Instructions()}"));
        output.WriteLine("config  method               prec    s/MP   GFLOP/MP  GFLOP/s  % of conv  peak MiB");
        ProcessMemory.ResetOwnPeak();
        var bicubic = Time(new BicubicUpscaler(), lr, s, hrWindow, runs) / megapixels;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"-",-7} {"bicubic",-18} {"fp32",-5} {bicubic,7:F3} {"",10} {"",8} {"",9} {PeakMiB(),9:F0}"));

        foreach (var family in families)
        {
            foreach (var config in request.Configs?.Where(family.BenchmarkConfigs.Contains) ?? family.DefaultBenchmarkConfigs)
            {
                foreach (var precision in request.Precisions ?? [TorchPrecision.Fp32])
                foreach (var row in family.OpenForBenchmark(config, request.Steps ?? [10, 50, 200], device, precision))
                {
                    using (row)
                    {
                        ProcessMemory.ResetOwnPeak();
                        double flops;
                        var counting = Stopwatch.StartNew();
                        using (var counter = new FlopCounter(row.Model))
                        {
                            row.Upscaler.Upscale(lr, s, hrWindow);
                            flops = counter.Flops;
                        }
                        var seconds = row.TimeOnce ? counting.Elapsed.TotalSeconds : Time(row.Upscaler, lr, s, hrWindow, runs, warmUp: false);
                        var achieved = flops / seconds / 1e9;
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{row.Config,-7} {row.Method,-18} {TorchPrecisions.NameOf(precision),-5} {seconds / megapixels,7:F3} {flops / 1e9 / megapixels,10:F1} {achieved,8:F1} {achieved / peak,9:P0} {PeakMiB(),9:F0}  ({row.Source})"));
                    }
                }
            }
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"conv microbenchmark (64→64, 3×3, 256×256): {peak:F1} GFLOP/s"));
    }

    static IReadOnlyList<IModelFamily> FamiliesOf(ModelBenchmarkRequest request)
    {
        if (request.Families is null) return ModelCatalog.Families;
        var unknown = request.Families.Where(name => ModelCatalog.Families.All(f => f.Name != name)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"--families: unknown family '{unknown[0]}' (known: {string.Join(", ", ModelCatalog.Families.Select(f => f.Name))})");
        return [.. ModelCatalog.Families.Where(f => request.Families.Contains(f.Name))];
    }

    static double PeakMiB() => ProcessMemory.PeakResidentMiB(Environment.ProcessId);

    static RasterBlock RandomTile(int size)
    {
        var random = new Random(1);
        var tile = new RasterBlock(new PixelWindow(0, 0, size, size), 3);
        for (var i = 0; i < tile.Data.Length; i++) tile.Data[i] = random.Next(256);
        return tile;
    }

    /// <summary>Seconds per run: the median of <paramref name="runs"/> timed runs after a warm-up (or after the caller's
    /// own untimed run).</summary>
    static double Time(ITileUpscaler upscaler, RasterBlock lr, double scale, PixelWindow hrWindow, int runs, bool warmUp = true)
    {
        if (warmUp) upscaler.Upscale(lr, scale, hrWindow);
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            upscaler.Upscale(lr, scale, hrWindow);
            times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
