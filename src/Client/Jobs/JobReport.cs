using System.Text.Json;
using Pipeline.Grains.Jobs;

namespace Pipeline.Client.Jobs;

/// <summary>How a job's end is told: the summary line on standard output (the one <c>upscale</c> always printed),
/// or one error line on standard error, and the exit code.</summary>
static class JobReport
{
    public static int Final(SceneJobStatus status)
    {
        switch (status.State)
        {
            case JobState.Succeeded:
                Console.WriteLine($"wrote {status.OutputPath}: {status.Output}, {status.TilesTotal} tiles " +
                                  $"(overlap overcompute {status.OverlapOvercompute:P0}) in {status.Elapsed.TotalSeconds:F1} s" +
                                  (status.WeightsSha256 is { } sha ? $", {status.Model} weights sha256 {sha[..12]}" : ""));
                return ExitCodes.Succeeded;
            case JobState.Cancelled:
                Console.Error.WriteLine($"job {status.JobId} was cancelled; nothing was written to {status.OutputPath}");
                return ExitCodes.Cancelled;
            case JobState.Unknown:
                Console.Error.WriteLine($"error: no job '{status.JobId}' on this cluster");
                return ExitCodes.UnknownJob;
            case JobState.Failed:
                Console.Error.WriteLine($"error: {status.Error}");
                return ExitCodes.Failed;
            default:
                return ExitCodes.Running;
        }
    }

    /// <summary>One line for <c>status</c> and <c>submit</c>.</summary>
    public static string Line(SceneJobStatus status) =>
        $"{status.JobId}: {status.State.ToString().ToLowerInvariant()}, {status.TilesDone}/{status.TilesTotal} tiles, " +
        $"{status.BlocksWritten}/{status.BlocksTotal} blocks written, {status.TileFailures} retried, {status.TilesRecomputed} recomputed, " +
        $"{status.Elapsed.TotalSeconds:F1} s" + (status.Error is { } error ? $" ({error})" : "");

    /// <summary>The exit code of a job in this state, as <see cref="Final"/> returns it, without printing.</summary>
    public static int ExitCode(JobState state) => state switch
    {
        JobState.Succeeded => ExitCodes.Succeeded,
        JobState.Cancelled => ExitCodes.Cancelled,
        JobState.Unknown => ExitCodes.UnknownJob,
        JobState.Failed => ExitCodes.Failed,
        _ => ExitCodes.Running,
    };

    /// <summary>One JSON object for <c>status --json</c>: camelCase names, the state in lower case, times in seconds.</summary>
    public static string Json(SceneJobStatus status) => JsonSerializer.Serialize(new
    {
        jobId = status.JobId,
        state = status.State.ToString().ToLowerInvariant(),
        tilesDone = status.TilesDone,
        tilesTotal = status.TilesTotal,
        blocksWritten = status.BlocksWritten,
        blocksTotal = status.BlocksTotal,
        tileFailures = status.TileFailures,
        tilesRecomputed = status.TilesRecomputed,
        generation = status.Generation,
        elapsedSeconds = Math.Round(status.Elapsed.TotalSeconds, 3),
        model = status.Model,
        weightsSha256 = status.WeightsSha256,
        outputPath = status.OutputPath,
        output = status.Output,
        overlapOvercompute = Math.Round(status.OverlapOvercompute, 4),
        error = status.Error,
    });
}
