using System.CommandLine;
using System.CommandLine.Invocation;
using Pipeline.Client;
using Pipeline.Client.Commands;

var root = new RootCommand("Super-resolves georeferenced satellite scenes (E²DiffSR) through tiling and seamless blending.\n\n" + ExitCodes.Summary);
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
root.Subcommands.Add(WeightsCommand.Create());
root.Subcommands.Add(ConsistencyCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Usage errors: one line each, exit code 2 (distinct from a failed job's 1; see ExitCodes).
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
    return ExitCodes.Usage;
}
// SIGINT/SIGTERM cancel the command's token; the job then cancels, deletes its temporary output and the command exits
// with ExitCodes.Cancelled. The library's default grace of 2 s would cut that short (exit 130/143, partial file left),
// so it waits up to a minute: a model tile in progress cannot be interrupted.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(1) });
