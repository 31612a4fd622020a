using Pipeline.Imaging.Rasters;
using System.Globalization;
using System.Text.Json;

namespace Pipeline.Client.Batch;

/// <summary>
/// The machine-readable account of a batch run (JSON, camelCase): what was asked, counts, and one entry per scene.
/// Rewritten as scenes end, so a run that dies leaves the scenes it finished on record; each write goes to a
/// temporary file renamed over the report, so a reader never sees half a report.
/// </summary>
sealed record BatchReport(
    string Input,
    string OutputFolder,
    string Model,
    string Cluster,
    DateTime Started,
    DateTime? Finished,
    int Total,
    int Done,
    int Skipped,
    int Failed,
    IReadOnlyList<SceneOutcome> Scenes,
    ConsistencyTotals? Consistency = null)
{
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static BatchReport Of(BatchRunInfo run, int total, IEnumerable<SceneOutcome> outcomes, DateTime? finished)
    {
        var scenes = outcomes.ToList();
        return new BatchReport(run.Input, run.OutputFolder, run.Model, run.Cluster, run.Started, finished, total,
            scenes.Count(s => s.Status == SceneOutcome.Done), scenes.Count(s => s.Status == SceneOutcome.Skipped),
            scenes.Count(s => s.Status == SceneOutcome.Failed), scenes, ConsistencyTotals.Of(scenes));
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = TemporaryNames.For(Path.GetFullPath(path));
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    public static BatchReport Read(string path) =>
        JsonSerializer.Deserialize<BatchReport>(File.ReadAllBytes(path), Json) ?? throw new InvalidDataException($"{path}: empty report");

    /// <summary>The human summary's count line.</summary>
    public string Summary(string reportPath) => string.Create(CultureInfo.InvariantCulture,
        $"batch: {Total} scenes: {Done} done, {Skipped} skipped, {Failed} failed in {((Finished ?? DateTime.UtcNow) - Started).TotalSeconds:F1} s{Consistency?.Summary()}; report: {reportPath}");

    /// <summary>One error line per failed scene, naming its file.</summary>
    public IEnumerable<string> Errors() =>
        Scenes.Where(s => s.Status == SceneOutcome.Failed).Select(failed => $"error: {Naming(failed.Input, failed.Error)}");

    /// <summary>An error line that names the scene's file once.</summary>
    public static string Naming(string input, string? error) =>
        error is not null && error.StartsWith(input + ":", StringComparison.Ordinal) ? error : $"{input}: {error}";
}

/// <summary>What a batch run was asked to do, for its report.</summary>
/// <param name="Cluster">"embedded", or the <c>--cluster</c> value.</param>
sealed record BatchRunInfo(string Input, string OutputFolder, string Model, string Cluster, DateTime Started);
