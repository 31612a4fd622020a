using System.Diagnostics;
using Pipeline.Grains;
using Pipeline.Grains.Jobs;

namespace Pipeline.Bench;

/// <summary>A finished job and the wall time from submitting it to seeing it finished.</summary>
sealed record TimedJob(SceneJobStatus Status, double Seconds);

/// <summary>
/// Runs one scene job on a cluster (embedded or not) the way <c>upscale</c> does, but polls every 20 ms instead of
/// every 250 ms so that polling adds little to the measured time. Fails unless the job succeeds.
/// </summary>
static class JobRunner
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static async Task<TimedJob> RunAsync(IGrainFactory grains, SceneJobSpec spec, CancellationToken cancellation = default)
    {
        var job = grains.Job(spec.NewJobId());
        var clock = Stopwatch.StartNew();
        var status = await job.Submit(spec);
        while (!status.State.IsFinal())
        {
            await Task.Delay(PollInterval, cancellation);
            status = await job.GetStatus();
        }
        clock.Stop();
        if (status.State != JobState.Succeeded)
            throw new InvalidOperationException($"{spec.InputPath}: the benchmark job ended {status.State}: {status.Error}");
        return new TimedJob(status, clock.Elapsed.TotalSeconds);
    }
}
