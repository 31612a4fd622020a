using System.CommandLine;
using Pipeline.Client.Jobs;
using Pipeline.Grains;
using Pipeline.Grains.Jobs;

namespace Pipeline.Client.Commands;

/// <summary><c>cancel &lt;job-id&gt; [--cluster [settings.json]]</c>: stops a running job and returns once its temporary
/// output is deleted (exit 4: cancelled). A job that already ended is left as it was, and its state is the exit code.</summary>
static class CancelCommand
{
    public static Command Create()
    {
        var jobId = new Argument<string>("job-id") { Description = "The id printed by submit" };
        var cluster = ClusterOption.Create("Cluster settings file or Redis connection string (default: environment, then localhost)");
        var command = new Command("cancel", "Cancels a running job; nothing is written under its output name.") { jobId, cluster };

        command.SetAction((parse, cancellation) => CliErrors.RunAsync(async () =>
        {
            await using var connection = await ClusterConnection.ConnectAsync(parse.GetValue(cluster), cancellation);
            var job = connection.Grains.Job(parse.GetValue(jobId)!);
            var status = await job.Cancel();
            if (status.State != JobState.Unknown) Console.WriteLine(JobReport.Line(status));
            return status.State == JobState.Succeeded ? ExitCodes.Succeeded : JobReport.Final(status);
        }));
        return command;
    }
}
