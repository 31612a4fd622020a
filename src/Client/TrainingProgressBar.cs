using System.Globalization;
using Pipeline.Training;

namespace Pipeline.Client;

/// <summary>
/// Renders <see cref="TrainingProgress"/> reports on standard error: a <see cref="LiveBar"/> (Spectre.Console) on a
/// terminal, one plain line per report when redirected (so a training log keeps the loss curve).
/// </summary>
sealed class TrainingProgressBar(string label) : IProgress<TrainingProgress>
{
    readonly bool interactive = !Console.IsErrorRedirected;
    LiveBar? live;

    public void Report(TrainingProgress p)
    {
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"step {p.Step}/{p.TotalSteps} loss {p.Loss:F5} lr {p.LearningRate:G3} ×{p.Scale:F2} {p.SecondsPerStep:F2} s/step {p.SamplesPerSecond:F1} samples/s elapsed {p.Elapsed:hh\\:mm\\:ss} ETA {p.Remaining:hh\\:mm\\:ss}");
        if (!interactive)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label} {(double)p.Step / Math.Max(1, p.TotalSteps),4:P0} {detail}"));
            return;
        }
        live ??= new LiveBar(label, p.TotalSteps);
        live.Set(p.Step, detail);
        if (p.Step == p.TotalSteps)
        {
            live.Dispose();
            live = null;
        }
    }
}
