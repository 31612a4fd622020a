using System.Globalization;
using Pipeline.Models.Training;

namespace Pipeline.Client;

/// <summary>
/// Renders <see cref="TrainingProgress"/> reports as a progress bar with step, loss, speed and ETA on standard error:
/// redrawn in place on a terminal, one line per report when redirected (so a training log keeps the loss curve).
/// </summary>
sealed class TrainingProgressBar(string label) : IProgress<TrainingProgress>
{
    const int BarWidth = 30;
    readonly bool _interactive = !Console.IsErrorRedirected;

    public void Report(TrainingProgress p)
    {
        var fraction = (double)p.Step / Math.Max(1, p.TotalSteps);
        var filled = (int)(fraction * BarWidth);
        var bar = new string('#', filled) + new string('-', BarWidth - filled);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{label} [{bar}] {fraction,4:P0} step {p.Step}/{p.TotalSteps} loss {p.Loss:F5} lr {p.LearningRate:G3} ×{p.Scale:F2} {p.SecondsPerStep:F2} s/step {p.SamplesPerSecond:F1} samples/s elapsed {p.Elapsed:hh\\:mm\\:ss} ETA {p.Remaining:hh\\:mm\\:ss}");
        if (_interactive) Console.Error.Write("\r" + line);
        else Console.Error.WriteLine(line);
        if (_interactive && p.Step == p.TotalSteps) Console.Error.WriteLine();
    }
}
