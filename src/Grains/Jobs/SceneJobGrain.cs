using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Pipeline.Grains.Placement;
using Pipeline.Grains.Planning;
using Pipeline.Grains.Telemetry;
using Pipeline.Imaging;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Jobs;

/// <summary>
/// The Orleans shell of a scene job: its API, its persisted manifest and the reminder that revives it. The job itself
/// is the <see cref="JobRun"/> state machine, which this activation pumps while the job runs.
/// </summary>
[CoordinatorSiloPlacementFilter]
public sealed class SceneJobGrain(
    [PersistentState("job")] IPersistentState<SceneJobManifest> job,
    TilePlanCache plans,
    ITileUpscaler upscaler,
    IClusterMembershipService membership,
    ISiloMetadataCache siloMetadata,
    SceneMetrics sceneMetrics,
    JobMetrics metrics,
    InputPolicy inputs,
    OutputPolicy outputs,
    ILogger<SceneJobGrain> logger) : Grain, ISceneJobGrain, IRemindable
{
    static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(5);

    GrainJobCluster cluster = null!;
    JobRun run = null!;

    SceneJobManifest Manifest => job.State;
    string JobId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        cluster = new GrainJobCluster(this, GrainFactory, JobId, job, membership, siloMetadata, logger);
        run = new JobRun(JobId, Manifest, cluster, plans, upscaler, metrics, sceneMetrics, inputs, logger);
        if (Manifest.State == JobState.Running) run.Start();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The job goes on wherever it is activated next (the reminder or the next status call brings it back).
        // A silo going down may not answer the pump's last calls; its deactivation must not wait for them.
        await Task.WhenAny(run.Stop(), Task.Delay(StopPatience, cancellationToken));
    }

    public async Task<SceneJobStatus> Submit(SceneJobSpec spec)
    {
        if (!upscaler.Serves(spec.Model)) throw new ArgumentException($"the cluster runs the model '{upscaler.Name}', not '{spec.Model}'");
        if (spec.WeightsSha256 is { } pinned && pinned != upscaler.WeightsSha256)
            throw new ArgumentException($"the cluster's '{upscaler.Name}' weights have SHA-256 {upscaler.WeightsSha256 ?? "none"}, the job asks for {pinned}");
        if (spec.UncertaintyDraws > 0 && !upscaler.Stochastic)
            throw new ArgumentException($"{spec.InputPath}: --uncertainty needs a model that draws noise (a diffusion sampler); the cluster runs '{upscaler.Name}', which gives one output per input");
        spec = spec with { Model = upscaler.Name, WeightsSha256 = upscaler.WeightsSha256 };
        if (Manifest.Spec is { } existing)
        {
            if (existing != spec) throw new ArgumentException($"job id '{JobId}' is already used by a job for {existing.InputPath}");
            // A submission retried after a lost answer: make sure the job runs here.
            if (Manifest.State == JobState.Running) run.Start();
            return run.Status();
        }
        spec.Validate();
        // Refused here, in one line, before the job is accepted: the silo reads only the hosts and folders it is set to,
        // and writes only into its output folders.
        if ((inputs.Problem(spec.InputPath) ?? outputs.Problem(spec.OutputPath)) is { } refused) throw new ArgumentException(refused.Message);
        await run.AcceptAsync(spec);
        // For the jobs page only: a job runs whether or not the index hears of it.
        await JobRun.IgnoreClusterFailure(() => GrainFactory.GetGrain<IJobIndexGrain>(JobIndexGrain.Key).Add(JobId));
        // The pump registers the reminder: the reminder service may be rebalancing after a lost silo, and a job
        // must not sit accepted but idle because that call failed.
        run.Start();
        return run.Status();
    }

    /// <summary>Also revives a running job whose pump is not running here (any status poll heals a stalled job).</summary>
    public Task<SceneJobStatus> GetStatus()
    {
        if (Manifest.State == JobState.Running) run.Start();
        return Task.FromResult(run.Status());
    }

    public async Task<SceneJobStatus> Cancel()
    {
        await run.CancelAsync();
        return run.Status();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Manifest.State == JobState.Running) run.Start();
        else await cluster.ReleaseKeepAliveAsync();
    }
}
