using System.Text.Json;
using Pipeline.Grains.Jobs;
using Pipeline.Grains.Writing;
using Pipeline.Imaging.Consistency;

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
                if (ConsistencyLine(status.Writer) is { } consistency) Console.WriteLine(consistency);
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

    /// <summary>"consistency: …": the output against its input, as the writer measured it; null when not measured.</summary>
    public static string? ConsistencyLine(WriterReport? writer) =>
        writer?.Consistency is { } c ? ConsistencyLine(c, writer.ConsistencyMap) : null;

    public static string ConsistencyLine(SceneConsistency c, string? map) =>
        FormattableString.Invariant($"consistency: {c.Inconsistency:0.###} % of the range off its input (bias {c.Bias:0.###} %, PSNR {c.Psnr:0.0} dB") +
        (c.ReflectanceL1 is { } l1 ? FormattableString.Invariant($", reflectance L1 {l1:0.#####}") : "") +
        (c.SpectralAngle is { } angle ? FormattableString.Invariant($", spectral angle {angle:0.##}°") : "") +
        (c.Shift is { } shift ? FormattableString.Invariant($", shift {shift:0.###} LR px") : "") +
        FormattableString.Invariant($", detail ×{c.Detail:0.##} bicubic's, grain {c.Grain:0.##}): ") +
        (c.Flagged ? $"FLAGGED ({string.Join("; ", c.Flags)})" : "ok") +
        (map is not null ? $"; map {map}" : "");

    /// <summary>One line for <c>status</c> and <c>submit</c>.</summary>
    public static string Line(SceneJobStatus status) =>
        $"{status.JobId}: {status.State.ToString().ToLowerInvariant()}, {status.TilesDone}/{status.TilesTotal} tiles, " +
        $"{status.BlocksWritten}/{status.BlocksTotal} blocks written, {status.TileFailures} retried, {status.TilesRecomputed} recomputed, " +
        $"{status.Elapsed.TotalSeconds:F1} s" + (status.Error is { } error ? $" ({error})" : "") +
        (status.Writer?.Consistency is { } c ? FormattableString.Invariant($", inconsistency {c.Inconsistency:0.###} %{(c.Flagged ? " FLAGGED" : "")}") : "");

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
        consistency = Json(status.Writer),
    });

    static object? Json(WriterReport? writer) => writer?.Consistency is not { } c ? null : Json(c, writer.ConsistencyMap, writer.RejectedPath);

    public static object Json(SceneConsistency c, string? map, string? rejectedPath) => new
    {
        inconsistencyPercent = Finite(c.Inconsistency),
        biasPercent = Finite(c.Bias),
        bandBias = c.BandBias.Select(Finite),
        psnr = Finite(c.Psnr),
        bandMae = c.BandMae.Select(Finite),
        bandRmse = c.BandRmse.Select(Finite),
        reflectanceL1 = c.ReflectanceL1,
        spectralAngleDegrees = c.SpectralAngle,
        shiftLrPixels = c.ShiftX is { } x && c.ShiftY is { } y ? new[] { x, y } : null,
        detail = Finite(c.Detail),
        grain = Finite(c.Grain),
        pixels = c.Pixels,
        flags = c.Flags,
        map,
        rejectedPath,
    };

    /// <summary>JSON has no infinity (a perfect match's PSNR): null.</summary>
    static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
