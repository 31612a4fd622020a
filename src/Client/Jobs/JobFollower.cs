using Pipeline.Grains.Jobs;

namespace Pipeline.Client.Jobs;

/// <summary>
/// Polls a job until it ends, drawing a progress bar (tiles done, tiles/s, ETA). Polling survives a silo going
/// away under the job: calls fail for the seconds it takes the cluster to notice, then the job answers from
/// wherever it was reactivated.
/// </summary>
static class JobFollower
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <param name="lineByLine">Progress as a line per 10 % even on a terminal (several jobs followed at once).</param>
    /// <param name="retries">How long polls may fail (<see cref="RetryPolicy.ClusterPatience"/>); default the default policy.</param>
    public static async Task<SceneJobStatus> FollowAsync(ISceneJobGrain job, string label, bool quiet, CancellationToken cancellation,
        bool lineByLine = false, RetryPolicy? retries = null)
    {
        var patience = (retries ?? RetryPolicy.Default).ClusterPatience;
        ConsoleProgress? bar = null;
        var shown = 0;
        var lastAnswer = DateTime.UtcNow;
        while (true)
        {
            SceneJobStatus status;
            try
            {
                status = await job.GetStatus();
                lastAnswer = DateTime.UtcNow;
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e, cancellation) && DateTime.UtcNow - lastAnswer < patience)
            {
                await Task.Delay(PollInterval, cancellation);
                continue;
            }
            if (!quiet && status.TilesTotal > 0)
            {
                if (bar is null)
                {
                    // Attached to a job under way: what was done before is shown, not counted in the rate.
                    bar = new ConsoleProgress(label, status.TilesTotal, "tiles", lineByLine, alreadyDone: status.TilesDone);
                    shown = status.TilesDone;
                }
                // Recomputed tiles (after a lost silo) make the count dip; the bar only moves forward.
                if (status.TilesDone > shown)
                {
                    bar.Advance(status.TilesDone - shown);
                    shown = status.TilesDone;
                }
            }
            if (status.State.IsFinal() || status.State == JobState.Unknown)
            {
                bar?.Finish();
                return status;
            }
            await Task.Delay(PollInterval, cancellation);
        }
    }
}
