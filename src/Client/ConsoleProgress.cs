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
    readonly LiveBar? _live;
    readonly string _label;
    readonly string _unit;
    readonly int _total;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly Lock _gate = new();
    readonly int _start;
    int _done;
    int _lastDecile = -1;

    /// <param name="lineByLine">A line per 10 % even on a terminal, as when redirected (for bars that run side by side).</param>
    /// <param name="alreadyDone">Items done before watching began: shown, but not counted in the rate.</param>
    public ConsoleProgress(string label, int total, string unit, bool lineByLine = false, int alreadyDone = 0)
    {
        _start = _done = alreadyDone;
        _label = label;
        _total = Math.Max(total, 1);
        _unit = unit;
        if (!lineByLine && !Console.IsErrorRedirected) _live = new LiveBar(label, _total, alreadyDone);
    }

    public void Advance(int count = 1)
    {
        lock (_gate)
        {
            _done += count;
            if (_live is not null)
            {
                _live.Set(_done, $"{_done}/{_total} {_unit} {Rate(_done - _start, _clock.Elapsed.TotalSeconds, _total - _done)}");
                return;
            }
            var decile = _done * 10 / _total;
            if (decile != _lastDecile)
            {
                _lastDecile = decile;
                Draw();
            }
        }
    }

    public void Finish()
    {
        lock (_gate) _live?.Dispose();
    }

    void Draw() =>
        Console.Error.WriteLine($"{_label} {(double)_done / _total,4:P0} {_done}/{_total} {_unit} {Rate(_done - _start, _clock.Elapsed.TotalSeconds, _total - _done)}");

    /// <summary>"12.5 tiles/s ETA 00:07", "8.3 s/tile ETA 01:40", or "ETA --:--" before the first item is seen done.</summary>
    internal string Rate(int doneWhileWatching, double seconds, int remaining)
    {
        if (doneWhileWatching <= 0 || seconds <= 0) return "ETA --:--";
        var perSecond = doneWhileWatching / seconds;
        var eta = TimeSpan.FromSeconds(remaining / perSecond);
        var rate = perSecond >= 1 ? $"{perSecond:F1} {_unit}/s" : $"{seconds / doneWhileWatching:F1} s/{_unit.TrimEnd('s')}";
        return $"{rate} ETA {(eta.TotalHours >= 1 ? eta.ToString(@"h\:mm\:ss") : eta.ToString(@"mm\:ss"))}";
    }
}
