using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipeline.Client;

/// <summary>
/// A progress bar redrawn in place on an interactive standard error, drawn by Spectre.Console: label, bar,
/// percentage and a detail text the owner sets (counts, rate, loss, ETA). Standard output stays free for results.
/// </summary>
sealed class LiveBar : IDisposable
{
    readonly TaskCompletionSource stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Task rendering;
    readonly ProgressTask task;
    volatile string detail = "";

    public LiveBar(string label, double maxValue, double value = 0)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var created = new TaskCompletionSource<ProgressTask>(TaskCreationOptions.RunContinuationsAsynchronously);
        rendering = console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new DetailColumn(this))
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Markup.Escape(label), maxValue: Math.Max(maxValue, 1));
                bar.Value = value;
                created.SetResult(bar);
                await stop.Task;
                context.Refresh();
            });
        task = created.Task.GetAwaiter().GetResult();
    }

    public void Set(double value, string text)
    {
        detail = text;
        task.Value = value;
    }

    /// <summary>Draws the last state and leaves the bar on screen.</summary>
    public void Dispose()
    {
        stop.TrySetResult();
        rendering.GetAwaiter().GetResult();
    }

    sealed class DetailColumn(LiveBar owner) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) => new Text(owner.detail);
    }
}
