using System.Diagnostics;

namespace Pipeline.Client;

/// <summary>
/// A progress bar on standard error: redrawn in place on a terminal, one line per 10 % when redirected
/// (so logs of batch jobs stay readable). Shows items done, rate and ETA. The rate counts only items done while
/// watching (a bar attached to a job under way starts from what was already done), and slow items read as seconds per
/// item rather than 0.0 per second.
/// </summary>
sealed class ConsoleProgress
{
    const int BarWidth = 30;
    readonly string _label;
    readonly string _unit;
    readonly int _total;
    readonly bool _interactive;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly Lock _gate = new();
    readonly int _start;
    int _done;
    int _lastDecile = -1;
    long _lastDrawMs = -1000;

    /// <param name="lineByLine">A line per 10 % even on a terminal, as when redirected (for bars that run side by side).</param>
    /// <param name="alreadyDone">Items done before watching began: shown, but not counted in the rate.</param>
    public ConsoleProgress(string label, int total, string unit, bool lineByLine = false, int alreadyDone = 0)
    {
        _start = _done = alreadyDone;
        _interactive = !lineByLine && !Console.IsErrorRedirected;
        _label = label;
        _total = Math.Max(total, 1);
        _unit = unit;
    }

    public void Advance(int count = 1)
    {
        lock (_gate)
        {
            _done += count;
            var decile = _done * 10 / _total;
            var now = _clock.ElapsedMilliseconds;
            if (_interactive ? now - _lastDrawMs >= 100 || _done == _total : decile != _lastDecile)
            {
                _lastDecile = decile;
                _lastDrawMs = now;
                Draw();
            }
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            if (_interactive) Console.Error.WriteLine();
        }
    }

    void Draw()
    {
        var fraction = (double)_done / _total;
        var filled = Math.Clamp((int)(fraction * BarWidth), 0, BarWidth);
        var line = $"{_label} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction,4:P0} " +
                   $"{_done}/{_total} {_unit} {Rate(_done - _start, _clock.Elapsed.TotalSeconds, _total - _done)}";
        if (_interactive) Console.Error.Write("\r" + line);
        else Console.Error.WriteLine(line);
    }

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
