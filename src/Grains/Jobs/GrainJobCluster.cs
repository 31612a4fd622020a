using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Pipeline.Grains.Messages;
using Pipeline.Grains.Stitching;
using Pipeline.Grains.Workers;
using Pipeline.Grains.Writing;

namespace Pipeline.Grains.Jobs;

/// <summary>
/// <see cref="IJobCluster"/> on Orleans for one job grain: its writer and stitcher grains, tile workers, the
/// membership's view of the silos, the grain's persistent state, and a reminder that revives the job after a crash
/// when nobody polls it.
/// </summary>
sealed class GrainJobCluster(
    Grain job,
    IGrainFactory grains,
    string jobId,
    IPersistentState<SceneJobManifest> state,
    IClusterMembershipService membership,
    ISiloMetadataCache siloMetadata,
    ILogger logger) : IJobCluster
{
    public const string KeepRunningReminder = "keep-running";
    static readonly TimeSpan ReminderRetryInterval = TimeSpan.FromSeconds(10);
    static readonly TimeSpan ReminderPatience = TimeSpan.FromSeconds(5);

    Task? reminderRegistration;
    DateTime nextReminderAttempt;

    public Task<string> OpenWriter(WriterSetup setup) => grains.Writer(jobId).Open(setup);

    public Task<WriterProgress> GetWriterProgress(int generation) => grains.Writer(jobId).GetProgress(generation);

    public Task<WriterReport> Commit(int generation) => grains.Writer(jobId).Commit(generation);

    public Task AbortWriter() => grains.Writer(jobId).Abort();

    public Task<TileOutcome> Contribute(TileTask task, CancellationToken cancellation) =>
        grains.ForTile(task.TileIndex).Contribute(task, cancellation);

    public Task<StitchProgress> GetStitcherProgress(int generation, int block) => grains.Stitcher(jobId, generation, block).GetProgress();

    public Task DiscardStitcher(int generation, int block) => grains.Stitcher(jobId, generation, block).Discard();

    public int WorkerSlots => WorkerCapacity.TilesInFlight(membership.CurrentSnapshot, siloMetadata);

    public int DeadSilos => membership.CurrentSnapshot.Members.Values.Count(member => member.Status == SiloStatus.Dead);

    public Task SaveAsync() => state.WriteStateAsync();

    /// <summary>Registers the reminder without holding up the pump: the reminder service may be rebalancing after a
    /// lost silo; a failed registration is retried every <see cref="ReminderRetryInterval"/>.</summary>
    public void KeepAlive()
    {
        if (reminderRegistration is { IsCompletedSuccessfully: true } or { IsCompleted: false } || DateTime.UtcNow < nextReminderAttempt) return;
        if (reminderRegistration?.Exception is { } failed)
            logger.LogWarning(failed.GetBaseException(), "Job {JobId}: could not register its reminder yet; retrying", jobId);
        nextReminderAttempt = DateTime.UtcNow + ReminderRetryInterval;
        reminderRegistration = job.RegisterOrUpdateReminder(KeepRunningReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public async Task ReleaseKeepAliveAsync()
    {
        if (reminderRegistration is { IsCompleted: false } pending) await Task.WhenAny(pending, Task.Delay(ReminderPatience));
        if (await job.GetReminder(KeepRunningReminder) is { } reminder) await job.UnregisterReminder(reminder);
    }
}
