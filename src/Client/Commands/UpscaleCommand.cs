using System.CommandLine;
using Pipeline.Client.Jobs;
using Pipeline.Client.Stac;
using Pipeline.Imaging.Rasters;
using Pipeline.Grains;
using Pipeline.Grains.Jobs;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;

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
        var cluster = ClusterOption.Create("Run on a cluster instead of an embedded silo (optional settings file or Redis connection string; default: environment, then localhost)");
        var noStac = new Option<bool>("--no-stac") { Description = "No STAC item beside the output (<out stem>.json, written by default)" };
        var command = new Command("upscale", "Super-resolves one scene into a georeferenced mosaic.");
        job.AddTo(command);
        job.AddSamplingTo(command);
        command.Options.Add(quiet);
        command.Options.Add(cluster);
        command.Options.Add(noStac);

        command.SetAction((parse, cancellation) => CliErrors.RunAsync(async () =>
        {
            var model = parse.GetValue(job.Model)!;
            // Embedded: the model runs here. The job measures the scene's black and white levels and picks the model's
            // tiling, as it does on a cluster.
            var local = parse.IsGiven(cluster) ? null : ModelCatalog.Resolve(model, job.Sampling(parse), device: parse.GetValue(job.Device), precision: job.ModelPrecision(parse));
            var spec = job.Spec(parse, job.RequestedModel(parse, cluster: local is null));
            spec.Validate();
            await using var connection = local is null
                ? await ClusterConnection.ConnectAsync(parse.GetValue(cluster), cancellation)
                : await StartEmbeddedAsync(spec, local, cancellation);

            var id = spec.NewJobId();
            var grain = connection.Grains.Job(id);
            await grain.Submit(spec);
            try
            {
                var status = await JobFollower.FollowAsync(grain, $"{model} ×{spec.Scale}", parse.GetValue(quiet), cancellation, retries: spec.RetriesOrDefault);
                var exit = JobReport.Final(status);
                if (exit == ExitCodes.Succeeded && !parse.GetValue(noStac))
                {
                    var thumbnail = await WriterThumbnail.FetchAsync(connection.Grains, status);
                    Console.WriteLine($"wrote {OutputItem.Write(spec.OutputPath, spec.InputPath, spec.Scale, spec.Format == OutputKind.Cog, thumbnail: thumbnail)}: its STAC item");
                }
                return exit;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                try
                {
                    return JobReport.Final(await grain.Cancel());
                }
                catch (TimeoutException)
                {
                    // The job stops when its silo gets to it; a user who asked to stop gets one line, not Orleans' page.
                    Console.Error.WriteLine($"error: {spec.InputPath}: cancelled here; the cluster did not confirm in time (job {id}: `sr status {id}` follows it)");
                    return ExitCodes.Cancelled;
                }
            }
        }));
        return command;
    }

    static Task<ClusterConnection> StartEmbeddedAsync(SceneJobSpec spec, ITileUpscaler upscaler, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(spec.OutputPath)!);
        return ClusterConnection.EmbeddedAsync(upscaler, ModelCatalog.ParallelTilesFor(upscaler), cancellation);
    }
}
