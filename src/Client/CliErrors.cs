using Pipeline.Imaging.Rasters;
using Pipeline.Models.Weights;

namespace Pipeline.Client;

/// <summary>Turns the failures a user can cause into one line on standard error and an exit code
/// (<see cref="ExitCodes.Failed"/>, or <see cref="ExitCodes.ClusterUnreachable"/> when no cluster answers).</summary>
static class CliErrors
{
    /// <summary>For commands that run synchronously and succeed unless they throw.</summary>
    public static int Run(Action action) => RunAsync(() =>
    {
        action();
        return Task.FromResult(ExitCodes.Succeeded);
    }).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ClusterUnreachableException e)
        {
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return ExitCodes.ClusterUnreachable;
        }
        catch (Exception e) when (e is RasterFormatException or ModelWeightsException or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return ExitCodes.Failed;
        }
    }

    static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
