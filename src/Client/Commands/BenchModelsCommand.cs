using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Configuration;
using Pipeline.Bench;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Idm;
using Pipeline.Models.Inference;
using Pipeline.Models.Layers;
using Pipeline.Models.Stage2;
using Pipeline.Models.Weights;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>bench-models</c>: seconds per output megapixel of bicubic, of each latent sampler (deterministic, LCMSR 1 step,
/// E²DiffSR 4 steps) and of IDM at several DDIM step counts, for the small (shipped weights) and paper (random weights:
/// speed does not depend on them) configurations, through the same <see cref="ITileUpscaler"/> the scene job uses,
/// with the FLOPs counted on the run, the achieved GFLOP/s next to a large-convolution microbenchmark, and each row's
/// peak resident memory.
/// </summary>
static class BenchModelsCommand
{
    public static Command Create()
    {
        var scale = new Option<double>("--scale") { Description = "Scale factor", DefaultValueFactory = _ => 4 }.Invariant();
        var lrTile = new Option<int>("--lr-tile") { Description = "LR tile size in pixels (the output tile is this × scale)", DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per row (their median), after one untimed (counting) run", DefaultValueFactory = _ => 3 };
        var configs = new Option<string>("--configs") { Description = "Comma-separated configurations", DefaultValueFactory = _ => "small,paper" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var idmConfigs = new Option<string>("--idm-configs") { Description = "Comma-separated IDM configurations (none: empty)", DefaultValueFactory = _ => "small" };
        var idmSteps = new Option<string>("--idm-steps") { Description = "Comma-separated DDIM step counts of the IDM rows", DefaultValueFactory = _ => "10,50,200" };

        var command = new Command("bench-models", "Speed of bicubic, deterministic, LCMSR and E²DiffSR per output megapixel, and GFLOP/s against a convolution microbenchmark.")
        {
            scale, lrTile, repeats, configs, device, idmConfigs, idmSteps,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            TorchThreads.Apply();
            var s = parse.GetValue(scale);
            var n = parse.GetValue(lrTile);
            var runs = Math.Max(1, parse.GetValue(repeats));
            var lr = RandomTile(n);
            var hrWindow = new PixelWindow(0, 0, (int)Math.Floor(n * s), (int)Math.Floor(n * s));
            var megapixels = hrWindow.Area / 1e6;
            var peak = ConvThroughput.GigaflopsPerSecond(10);
            var torchDevice = TorchDevices.Parse(parse.GetValue(device)!);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"×{s} on a {n}×{n} LR tile ({hrWindow.Width}×{hrWindow.Height} output), {TorchSharp.torch.get_num_threads()} torch threads; " +
                $"FLOPs = 2 × MACs of every conv/linear layer, counted on the run; peak = the process's resident high-water mark during the row " +
                $"(VmHWM, reset before each row; {ProcessMemory.ResidentMiB(Environment.ProcessId):F0} MiB resident before the first)"));
            Console.WriteLine("config  method               s/MP   GFLOP/MP  GFLOP/s  % of conv  peak MiB");
            ProcessMemory.ResetOwnPeak();
            var bicubic = Time(new BicubicUpscaler(), lr, s, hrWindow, runs) / megapixels;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"-",-7} {"bicubic",-18} {bicubic,7:F3} {"",10} {"",8} {"",9} {PeakMiB(),9:F0}"));

            void Row(string config, string label, ITileUpscaler upscaler, TorchSharp.torch.nn.Module model, string source, int timedRuns)
            {
                ProcessMemory.ResetOwnPeak();
                double flops;
                var counting = Stopwatch.StartNew();
                using (var counter = new FlopCounter(model))
                {
                    upscaler.Upscale(lr, s, hrWindow);
                    flops = counter.Flops;
                }
                var seconds = timedRuns > 0 ? Time(upscaler, lr, s, hrWindow, timedRuns, warmUp: false) : counting.Elapsed.TotalSeconds;
                var achieved = flops / seconds / 1e9;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{config,-7} {label,-18} {seconds / megapixels,7:F3} {flops / 1e9 / megapixels,10:F1} {achieved,8:F1} {achieved / peak,9:P0} {PeakMiB(),9:F0}  ({source})"));
            }

            foreach (var config in ParseList(parse.GetValue(configs)!).Select(SrConfig.ByName))
            {
                foreach (var (label, sampler) in new[] { ("deterministic", SamplerKind.Deterministic), ("lcmsr (1 step)", SamplerKind.Lcmsr), ("e2diffsr (4 steps)", SamplerKind.E2DiffSR) })
                {
                    using var resolver = new SuperResolver(ModelFor(config, sampler == SamplerKind.Lcmsr ? SecondStageKind.Lcmsr : SecondStageKind.E2DiffSR, out var source), torchDevice);
                    using var upscaler = new LatentTileUpscaler(resolver, TileUpscalerOptions.ForUInt8(new SamplingOptions(sampler, Seed: 1)));
                    Row(config.Name, label, upscaler, resolver.Model, source, runs);
                }
            }
            foreach (var config in ParseList(parse.GetValue(idmConfigs)!).Select(IdmConfig.ByName))
            {
                foreach (var steps in ParseList(parse.GetValue(idmSteps)!).Select(t => int.Parse(t, CultureInfo.InvariantCulture)))
                {
                    // From 50 steps on, the counting run is the timed one: long enough to time once, its steps all alike.
                    using var upscaler = new IdmTileUpscaler(IdmFor(config, out var source), TileUpscalerOptions.ForUInt8(new SamplingOptions(SamplerKind.Deterministic, Seed: 1, Steps: steps)), torchDevice);
                    Row($"idm-{config.Name}", $"idm ({steps} steps)", upscaler, upscaler.Model, source, timedRuns: steps >= 50 ? 0 : runs);
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"conv microbenchmark (64→64, 3×3, 256×256): {peak:F1} GFLOP/s"));
        }));
        return command;
    }

    static double PeakMiB() => ProcessMemory.PeakResidentMiB(Environment.ProcessId);

    static IEnumerable<string> ParseList(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The shipped IDM weights for a configuration when present; random weights (seed 1) otherwise.</summary>
    static IdmModel IdmFor(IdmConfig config, out string source)
    {
        var shipped = Path.Combine(ModelCatalog.ModelsDirectory, IdmTileUpscaler.NameOf(config) + ".safetensors");
        if (File.Exists(shipped))
        {
            source = Path.GetFileName(shipped);
            return IdmWeights.Load(shipped);
        }
        source = "random weights";
        TorchSharp.torch.manual_seed(1);
        return new IdmModel(config);
    }

    /// <summary>The shipped weights for the small configuration when present; random weights otherwise.</summary>
    static SrModel ModelFor(SrConfig config, SecondStageKind kind, out string source)
    {
        var shipped = Path.Combine(ModelCatalog.ModelsDirectory, $"{ModelWeights.KindName(kind)}-{config.Name}.safetensors");
        if (File.Exists(shipped))
        {
            source = Path.GetFileName(shipped);
            return ModelWeights.LoadSrModel(shipped, config);
        }
        source = "random weights";
        var model = new SrModel(config, kind);
        Initialization.Reinitialize(model, 1);
        return model;
    }

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
