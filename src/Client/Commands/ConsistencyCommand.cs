using System.CommandLine;
using System.Text.Json;
using Pipeline.Client.Jobs;
using Pipeline.Imaging.Consistency;

namespace Pipeline.Client.Commands;

/// <summary><c>consistency</c>: the figures every job reports, for any output file against its input (an output made
/// elsewhere, or edited since), with the same map; exit 1 when a figure is over its threshold.</summary>
static class ConsistencyCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("input") { Description = "The low-resolution scene" };
        var output = new Argument<FileInfo>("output") { Description = "A super-resolved output of it" };
        var scale = new Option<double?>("--scale") { Description = "The output's scale (default: output width / input width)" }.Invariant();
        var map = new Option<FileInfo?>("--map") { Description = "Also write the consistency map (a COG) here" };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object" };
        var command = new Command("consistency",
            "Measures how faithful an output is to its input without ground truth: the output degraded back to the input's grid " +
            "(the models' antialiased bicubic) against the input; exit 1 when flagged.") { input, output, scale, map, json };
        command.SetAction(parse => CliErrors.RunAsync(() =>
        {
            var (figures, cells) = FileConsistency.Compare(parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName, parse.GetValue(scale));
            var mapPath = parse.GetValue(map)?.FullName;
            if (mapPath is not null)
            {
                using var reader = Pipeline.Imaging.RasterReaders.Open(parse.GetValue(input)!.FullName);
                cells.Write(mapPath, reader.Info, new ConsistencyThresholds().Inconsistency);
            }
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(JobReport.Json(figures, mapPath, null)) : JobReport.ConsistencyLine(figures, mapPath));
            return Task.FromResult(figures.Flagged ? ExitCodes.Failed : ExitCodes.Succeeded);
        }).GetAwaiter().GetResult());
        return command;
    }
}
