using System.CommandLine;
using Pipeline.Client.Jobs;
using Pipeline.Grains;
using Pipeline.Grains.Jobs;

namespace Pipeline.Client.Commands;

/// <summary><c>status &lt;job-id&gt; [--wait] [--cluster [settings.json]]</c>: one line about the job, and an exit code
/// for its state (0 succeeded, 1 failed, 4 cancelled, 5 still running, 6 unknown). <c>--wait</c> follows it to the
/// end with a progress bar and prints the final summary; <c>--json</c> prints the status as JSON for scripts.</summary>
static class StatusCommand
{
    public static Command Create()
    {
        var jobId = new Argument<string>("job-id") { Description = "The id printed by submit" };
        var wait = new Option<bool>("--wait") { Description = "Follow the job with a progress bar until it ends" };
        var quiet = new Option<bool>("--quiet") { Description = "With --wait: no progress bar" };
        var json = new Option<bool>("--json") { Description = "Print the status as one JSON object (with --wait: the final one, no progress bar); same exit codes" };
        var cluster = ClusterOption.Create("Cluster settings file or Redis connection string (default: environment, then localhost)");
        var command = new Command("status", "Shows a job's progress; the exit code tells its state.") { jobId, wait, quiet, json, cluster };

        command.SetAction((parse, cancellation) => CliErrors.RunAsync(async () =>
        {
            await using var connection = await ClusterConnection.ConnectAsync(parse.GetValue(cluster), cancellation);
            var job = connection.Grains.Job(parse.GetValue(jobId)!);
            var status = await job.GetStatus();
            if (parse.GetValue(json))
            {
                if (parse.GetValue(wait) && status.State == JobState.Running)
                    status = await JobFollower.FollowAsync(job, status.Model ?? "job", quiet: true, cancellation);
                Console.WriteLine(JobReport.Json(status));
                return JobReport.ExitCode(status.State);
            }
            if (parse.GetValue(wait) && status.State == JobState.Running)
                return JobReport.Final(await JobFollower.FollowAsync(job, status.Model ?? "job", parse.GetValue(quiet), cancellation));
            if (status.State != JobState.Unknown) Console.WriteLine(JobReport.Line(status));
            return status.State switch
            {
                JobState.Running => ExitCodes.Running,
                JobState.Succeeded => ExitCodes.Succeeded,
                _ => JobReport.Final(status),
            };
        }));
        return command;
    }
}
