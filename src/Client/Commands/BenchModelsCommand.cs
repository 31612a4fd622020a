using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Inference;
using Pipeline.Models.Layers;
using Pipeline.Models.Stage2;
using Pipeline.Models.Weights;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>bench-models</c>: seconds per output megapixel of bicubic and of each sampler (deterministic, LCMSR 1 step,
/// E²DiffSR 4 steps) for the small (shipped weights) and paper (random weights: speed does not depend on them)
/// configurations, through the same <see cref="ITileUpscaler"/> the scene job uses, with the FLOPs counted on the
/// run and the achieved GFLOP/s next to a large-convolution microbenchmark.
/// </summary>
static class BenchModelsCommand
{
    public static Command Create()
    {
        var scale = new Option<double>("--scale") { Description = "Scale factor", DefaultValueFactory = _ => 4 }.Invariant();
        var lrTile = new Option<int>("--lr-tile") { Description = "LR tile size in pixels (the output tile is this × scale)", DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per row, after one untimed (counting) run", DefaultValueFactory = _ => 2 };
        var configs = new Option<string>("--configs") { Description = "Comma-separated configurations", DefaultValueFactory = _ => "small,paper" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };

        var command = new Command("bench-models", "Speed of bicubic, deterministic, LCMSR and E²DiffSR per output megapixel, and GFLOP/s against a convolution microbenchmark.")
        {
            scale, lrTile, repeats, configs, device,
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

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"×{s} on a {n}×{n} LR tile ({hrWindow.Width}×{hrWindow.Height} output), {TorchSharp.torch.get_num_threads()} torch threads; " +
                $"FLOPs = 2 × MACs of every conv/linear layer, counted on the run"));
            Console.WriteLine("config  method               s/MP   GFLOP/MP  GFLOP/s  % of conv");
            var bicubic = Time(new BicubicUpscaler(), lr, s, hrWindow, runs) / megapixels;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"-",-7} {"bicubic",-18} {bicubic,7:F3}"));
            foreach (var config in parse.GetValue(configs)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(SrConfig.ByName))
            {
                double? deterministic = null;
                foreach (var (label, sampler) in new[] { ("deterministic", SamplerKind.Deterministic), ("lcmsr (1 step)", SamplerKind.Lcmsr), ("e2diffsr (4 steps)", SamplerKind.E2DiffSR) })
                {
                    using var resolver = new SuperResolver(ModelFor(config, sampler == SamplerKind.Lcmsr ? SecondStageKind.Lcmsr : SecondStageKind.E2DiffSR, out var source),
                        TorchDevices.Parse(parse.GetValue(device)!));
                    var upscaler = new LatentTileUpscaler(resolver, TileUpscalerOptions.ForUInt8(new SamplingOptions(sampler, Seed: 1)));
                    double flops;
                    using (var counter = new FlopCounter(resolver.Model))
                    {
                        upscaler.Upscale(lr, s, hrWindow);
                        flops = counter.Flops;
                    }
                    var seconds = Time(upscaler, lr, s, hrWindow, runs);
                    var achieved = flops / seconds / 1e9;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{config.Name,-7} {label,-18} {seconds / megapixels,7:F3} {flops / 1e9 / megapixels,10:F1} {achieved,8:F1} {achieved / peak,9:P0}  ({source})"));
                    if (sampler == SamplerKind.Deterministic) deterministic = seconds;
                    else if (sampler == SamplerKind.E2DiffSR) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{config.Name,-7} E²DiffSR / deterministic time: {seconds / deterministic:F2}×"));
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"conv microbenchmark (64→64, 3×3, 256×256): {peak:F1} GFLOP/s"));
        }));
        return command;
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

    static double Time(ITileUpscaler upscaler, RasterBlock lr, double scale, PixelWindow hrWindow, int runs)
    {
        upscaler.Upscale(lr, scale, hrWindow);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++) upscaler.Upscale(lr, scale, hrWindow);
        return clock.Elapsed.TotalSeconds / runs;
    }
}
