using System.CommandLine;
using Pipeline.Client.Jobs;
using Pipeline.Grains;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>upscale &lt;in.tif&gt; --out &lt;out.tif&gt; --scale &lt;s&gt; [--model …] [--cluster [settings.json]]</c>: one scene,
/// followed to the end with a progress bar. Without <c>--cluster</c> the job runs on a silo embedded in this process
/// (the same grains as a cluster, one machine); with it, on the cluster. Ctrl+C cancels the job.
/// Exit code 0 only when the output is complete and in place (see <see cref="ExitCodes"/>).
/// </summary>
static class UpscaleCommand
{
    public static Command Create()
    {
        var job = new JobOptions();
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar" };
        var cluster = ClusterOption.Create("Run on a cluster instead of an embedded silo (optional settings file; default: environment, then localhost)");
        var command = new Command("upscale", "Super-resolves one scene into a georeferenced mosaic.");
        job.AddTo(command);
        command.Options.Add(quiet);
        command.Options.Add(cluster);

        command.SetAction((parse, cancellation) => CliErrors.RunAsync(async () =>
        {
            var model = parse.GetValue(job.Model)!;
            var spec = job.Spec(parse, model);
            spec.Validate();
            await using var connection = parse.IsGiven(cluster)
                ? await ClusterConnection.ConnectAsync(parse.GetValue(cluster), cancellation)
                : await StartEmbeddedAsync(spec.OutputPath, model, cancellation);

            var id = JobOptions.NewJobId(spec);
            var grain = connection.Grains.Job(id);
            await grain.Submit(spec);
            try
            {
                var status = await JobFollower.FollowAsync(grain, $"{model} ×{spec.Scale}", parse.GetValue(quiet), cancellation);
                return JobReport.Final(status);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return JobReport.Final(await grain.Cancel());
            }
        }));
        return command;
    }

    static Task<ClusterConnection> StartEmbeddedAsync(string outputPath, string model, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        return ClusterConnection.EmbeddedAsync(ModelCatalog.Resolve(model), cancellation);
    }
}
