using Pipeline.Imaging.GeoTiff;
using Pipeline.Models.Weights;

namespace Pipeline.Client;

/// <summary>Turns the failures a user can cause into one line on standard error and exit code 1.</summary>
static class CliErrors
{
    public static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is RasterFormatException or ModelWeightsException or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return 1;
        }
    }

    static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
