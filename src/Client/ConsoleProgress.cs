using System.Diagnostics;

namespace Pipeline.Client;

/// <summary>
/// Progress on standard error: a <see cref="LiveBar"/> (Spectre.Console) on a terminal, one plain line per 10 % when
/// redirected (so logs of batch jobs stay readable). Shows items done, rate and ETA. The rate counts only items done while
/// watching (a bar attached to a job under way starts from what was already done), and slow items read as seconds per
/// item rather than 0.0 per second.
/// </summary>
sealed class ConsoleProgress
{
    readonly LiveBar? live;
    readonly string label;
    readonly string unit;
    readonly int total;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly Lock gate = new();
    readonly int start;
    int done;
    int lastDecile = -1;

    /// <param name="lineByLine">A line per 10 % even on a terminal, as when redirected (for bars that run side by side).</param>
    /// <param name="alreadyDone">Items done before watching began: shown, but not counted in the rate.</param>
    public ConsoleProgress(string label, int total, string unit, bool lineByLine = false, int alreadyDone = 0)
    {
        start = done = alreadyDone;
        this.label = label;
        this.total = Math.Max(total, 1);
        this.unit = unit;
        if (!lineByLine && !Console.IsErrorRedirected) live = new LiveBar(label, this.total, alreadyDone);
    }

    public void Advance(int count = 1)
    {
        lock (gate)
        {
            done += count;
            if (live is not null)
            {
                live.Set(done, $"{done}/{total} {unit} {Rate(done - start, clock.Elapsed.TotalSeconds, total - done)}");
                return;
            }
            var decile = done * 10 / total;
            if (decile != lastDecile)
            {
                lastDecile = decile;
                Draw();
            }
        }
    }

    public void Finish()
    {
        lock (gate) live?.Dispose();
    }

    void Draw() =>
        Console.Error.WriteLine($"{label} {(double)done / total,4:P0} {done}/{total} {unit} {Rate(done - start, clock.Elapsed.TotalSeconds, total - done)}");

    /// <summary>"12.5 tiles/s ETA 00:07", "8.3 s/tile ETA 01:40", or "ETA --:--" before the first item is seen done.</summary>
    internal string Rate(int doneWhileWatching, double seconds, int remaining)
    {
        if (doneWhileWatching <= 0 || seconds <= 0) return "ETA --:--";
        var perSecond = doneWhileWatching / seconds;
        var eta = TimeSpan.FromSeconds(remaining / perSecond);
        var rate = perSecond >= 1 ? $"{perSecond:F1} {unit}/s" : $"{seconds / doneWhileWatching:F1} s/{unit.TrimEnd('s')}";
        return $"{rate} ETA {(eta.TotalHours >= 1 ? eta.ToString(@"h\:mm\:ss") : eta.ToString(@"mm\:ss"))}";
    }
}
