using System.CommandLine;
using System.Globalization;
using Pipeline.Bench;
using Pipeline.Models.Inference;

namespace Pipeline.Client.Commands;

/// <summary><c>bench-models</c>: option parsing for <see cref="ModelBenchmark"/> (bicubic and every model family's rows:
/// seconds per output megapixel, FLOPs, peak memory).</summary>
static class BenchModelsCommand
{
    public static Command Create()
    {
        var scale = new Option<double>("--scale") { Description = "Scale factor", DefaultValueFactory = _ => 4 }.Invariant();
        var lrTile = new Option<int>("--lr-tile") { Description = "LR tile size in pixels (the output tile is this × scale)", DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per row (their median), after one untimed (counting) run", DefaultValueFactory = _ => 3 };
        var families = new Option<string?>("--families") { Description = "Comma-separated model families (default: all; e2diffsr, idm)" };
        var configs = new Option<string?>("--configs") { Description = "Comma-separated configurations, in every family that has them (default: each family's: small,paper for e2diffsr, small for idm)" };
        var steps = new Option<string>("--steps") { Description = "Comma-separated step counts of the families whose step count is free (idm)", DefaultValueFactory = _ => "10,50,200" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var precisions = new Option<string>("--precisions") { Description = "Comma-separated number formats to measure each model row in: fp32, bf16", DefaultValueFactory = _ => "fp32" };

        var command = new Command("bench-models", "Speed of bicubic and every model family's samplers per output megapixel, and GFLOP/s against a convolution microbenchmark.")
        {
            scale, lrTile, repeats, families, configs, steps, device, precisions,
        };
        command.SetAction(parse => CliErrors.Run(() => ModelBenchmark.Run(new ModelBenchmarkRequest(
            parse.GetValue(scale),
            parse.GetValue(lrTile),
            parse.GetValue(repeats),
            parse.GetValue(families) is { } f ? ParseList(f) : null,
            parse.GetValue(configs) is { } c ? ParseList(c) : null,
            [.. ParseList(parse.GetValue(steps)!).Select(t => int.Parse(t, CultureInfo.InvariantCulture))],
            parse.GetValue(device)!,
            [.. ParseList(parse.GetValue(precisions)!).Select(TorchPrecisions.Parse)]), Console.Out)));
        return command;
    }

    static List<string> ParseList(string text) => [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
