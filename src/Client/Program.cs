using System.CommandLine;
using Pipeline.Client.Commands;

var root = new RootCommand("Super-resolves georeferenced satellite scenes (E²DiffSR) through tiling and seamless blending.");
root.Subcommands.Add(UpscaleCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(BenchModelsCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Usage errors: one line each, exit code 2 (distinct from a failed job's 1).
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
    return 2;
}
return await parse.InvokeAsync();
