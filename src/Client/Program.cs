using System.CommandLine;
using Pipeline.Client;
using Pipeline.Client.Commands;

var root = new RootCommand("Super-resolves georeferenced satellite scenes (E²DiffSR) through tiling and seamless blending.");
root.Subcommands.Add(UpscaleCommand.Create());
root.Subcommands.Add(SubmitCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(CancelCommand.Create());
root.Subcommands.Add(BatchCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(BenchPipelineCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(BenchModelsCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Usage errors: one line each, exit code 2 (distinct from a failed job's 1; see ExitCodes).
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
    return ExitCodes.Usage;
}
return await parse.InvokeAsync();
