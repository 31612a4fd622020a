using System.CommandLine;
using Pipeline.Client.Batch;
using Pipeline.Client.Stac;
using Pipeline.Models.Inference;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>batch --input &lt;folder|manifest&gt; --output &lt;folder&gt; --scale &lt;s&gt; [--cluster [settings.json|redis]] …</c>:
/// every scene of an archive, <c>--concurrency</c> at a time, on an embedded silo or a cluster. Scenes whose output
/// is already complete are skipped, so running it again after a crash resumes; a failed scene does not stop the others.
/// Writes a JSON report (default <c>&lt;output&gt;/batch-report.json</c>) and prints a summary. Exit code 0 when every
/// scene is done or skipped, 1 when any failed (or the input was refused), 4 when interrupted (see <see cref="ExitCodes"/>).
/// </summary>
static class BatchCommand
{
    public static Command Create()
    {
        var job = new JobOptions();
        var input = new Option<string>("--input") { Description = "Folder of GeoTIFFs (searched recursively) or a manifest: CSV with header input,output,scale, or JSON [{\"input\", \"output\", \"scale\"}]; relative paths are relative to the manifest", Required = true };
        var output = new Option<string>("--output") { Description = "Output folder: a folder input's relative paths are mirrored under it, and manifest rows without an output are written there", Required = true };
        var scale = new Option<double>("--scale") { Description = "Scale factor of every scene, any real number in [1, 32] (a manifest row's scale overrides it)", Required = true }.Invariant();
        var pattern = new Option<string?>("--pattern") { Description = "Glob choosing a folder's scenes instead of *.tif and *.tiff: matched against file names (*_B8.tif), or with a '/' against relative paths (2019/**/*.tif)" };
        var concurrency = new Option<int>("--concurrency") { Description = "Scenes in flight at once", DefaultValueFactory = _ => 2 };
        concurrency.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError("--concurrency must be at least 1");
        });
        var report = new Option<string?>("--report") { Description = "JSON report, rewritten as scenes end (default: <output>/batch-report.json)" };
        var quiet = new Option<bool>("--quiet") { Description = "No per-scene progress bars (the archive's progress lines stay)" };
        var cluster = ClusterOption.Create("Run on a cluster instead of an embedded silo (optional settings file or Redis connection string; default: environment, then localhost)");
        var noStac = new Option<bool>("--no-stac") { Description = "No STAC item beside each output and no collection.json over them (written by default)" };
        var command = new Command("batch", "Super-resolves every scene of a folder or manifest; skips scenes already done, so a re-run resumes.");
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(scale);
        job.AddSceneOptionsTo(command);
        job.AddSamplingTo(command);
        foreach (var option in new Option[] { pattern, concurrency, report, quiet, cluster, noStac }) command.Options.Add(option);

        command.SetAction((parse, cancellation) => CliErrors.RunAsync(async () =>
        {
            var model = parse.GetValue(job.Model)!;
            var source = Path.GetFullPath(parse.GetValue(input)!);
            var outputFolder = Path.GetFullPath(parse.GetValue(output)!);
            var scenes = SceneList.Load(parse.GetValue(input)!.Contains("://", StringComparison.Ordinal) ? parse.GetValue(input)! : source, outputFolder, parse.GetValue(scale), parse.GetValue(pattern), job.AssetList(parse), parse.GetValue(job.Bands));
            // An unknown model is one error line before any scene, not a failure of every scene.
            if (!parse.IsGiven(cluster) && model != ModelCatalog.Bicubic) ModelCatalog.WeightsPath(model, job.Sampling(parse).Sampler);
            var reportPath = Path.GetFullPath(parse.GetValue(report) ?? Path.Combine(outputFolder, "batch-report.json"));
            var batch = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(source));

            await using BatchBackend backend = parse.IsGiven(cluster)
                ? await ClusterBackend.ConnectAsync(parse.GetValue(cluster), cancellation)
                : await EmbeddedBackend.StartAsync(model, job.Sampling(parse), parse.GetValue(job.Device)!, job.ModelPrecision(parse), cancellation);
            var runner = new BatchRunner(backend, scene => job.Spec(parse, scene.Input, scene.Output, scene.Scale, job.RequestedModel(parse, parse.IsGiven(cluster))) with { Batch = batch })
            {
                Concurrency = parse.GetValue(concurrency),
                Quiet = parse.GetValue(quiet),
                Collection = parse.GetValue(noStac) ? null : Path.Combine(outputFolder, StacCollection.FileName),
            };
            var run = new BatchRunInfo(source, outputFolder, model, backend.Description, DateTime.UtcNow);
            var result = await runner.RunAsync(scenes, run, reportPath, cancellation);

            Console.WriteLine(result.Summary(reportPath));
            foreach (var error in result.Errors()) Console.Error.WriteLine(error);
            return cancellation.IsCancellationRequested ? ExitCodes.Cancelled
                : result.Failed > 0 ? ExitCodes.Failed
                : ExitCodes.Succeeded;
        }));
        return command;
    }
}
