using System.Diagnostics;

namespace Pipeline.Client;

/// <summary>
/// A progress bar on standard error: redrawn in place on a terminal, one line per 10 % when redirected
/// (so logs of batch jobs stay readable). Shows items done, rate and ETA.
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
    int _done;
    int _lastDecile = -1;
    long _lastDrawMs = -1000;

    /// <param name="lineByLine">A line per 10 % even on a terminal, as when redirected (for bars that run side by side).</param>
    public ConsoleProgress(string label, int total, string unit, bool lineByLine = false)
    {
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
        var filled = (int)(fraction * BarWidth);
        var seconds = _clock.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? _done / seconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds((_total - _done) / rate) : TimeSpan.Zero;
        var line = $"{_label} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction,4:P0} " +
                   $"{_done}/{_total} {_unit} {rate:F1} {_unit}/s ETA {eta:mm\\:ss}";
        if (_interactive) Console.Error.Write("\r" + line);
        else Console.Error.WriteLine(line);
    }
}
