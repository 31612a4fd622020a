using System.CommandLine;
using Pipeline.Grains;

namespace Pipeline.Client.Commands;

/// <summary><c>submit &lt;in.tif&gt; --out … --scale … [--id …] [--cluster [settings.json]]</c>: hands a scene to the
/// cluster and prints the job id on standard output. Submitting again with the same id and options is harmless.</summary>
static class SubmitCommand
{
    public static Command Create()
    {
        var job = new JobOptions();
        var id = new Option<string?>("--id") { Description = "Job id (default: input name, time and a random suffix); reuse it to resubmit safely" };
        var cluster = ClusterOption.Create("Cluster settings file or Redis connection string (default: environment, then localhost)");
        var command = new Command("submit", "Submits a scene to a cluster and prints its job id.");
        job.AddTo(command);
        command.Options.Add(id);
        command.Options.Add(cluster);

        command.SetAction((parse, cancellation) => CliErrors.RunAsync(async () =>
        {
            var spec = job.Spec(parse, job.RequestedModel(parse, cluster: true));
            spec.Validate();
            await using var connection = await ClusterConnection.ConnectAsync(parse.GetValue(cluster), cancellation);
            var jobId = parse.GetValue(id) ?? spec.NewJobId();
            var status = await connection.Grains.Job(jobId).Submit(spec);
            Console.WriteLine(status.JobId);
            return ExitCodes.Succeeded;
        }));
        return command;
    }
}
