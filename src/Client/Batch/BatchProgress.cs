using System.Globalization;

namespace Pipeline.Client.Batch;

/// <summary>
/// Archive-level progress on standard error, one line per scene that ends (scenes ended / total, with the done,
/// skipped and failed counts so far), so it reads the same on a terminal and in a Kubernetes log. The per-scene
/// progress bars (<see cref="Jobs.JobFollower"/>) go in between.
/// </summary>
sealed class BatchProgress(int total)
{
    readonly Lock gate = new();
    int done, skipped, failed;

    public void Started(string input, string output, int concurrency, string where) =>
        Console.Error.WriteLine($"batch: {total} scenes from {input} to {output}, {concurrency} at a time, on {where}");

    public void Ended(BatchScene scene, SceneOutcome outcome)
    {
        lock (gate)
        {
            switch (outcome.Status)
            {
                case SceneOutcome.Done: done++; break;
                case SceneOutcome.Skipped: skipped++; break;
                default: failed++; break;
            }
            var what = outcome.Status == SceneOutcome.Failed
                ? $"failed {BatchReport.Naming(scene.Input, outcome.Error)}"
                : string.Create(CultureInfo.InvariantCulture, $"{outcome.Status} {scene.Name} -> {scene.Output} ({outcome.Seconds:F1} s)");
            Console.Error.WriteLine($"batch: [{done + skipped + failed}/{total}] {done} done, {skipped} skipped, {failed} failed; {what}");
        }
    }
}
