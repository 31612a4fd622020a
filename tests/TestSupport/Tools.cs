using System.Diagnostics;

namespace Pipeline.TestSupport;

/// <summary>The machine's command-line tools (gdalinfo, gdal_translate…) as tests call them to check our files.</summary>
public static class Tools
{
    /// <summary>Runs <paramref name="tool"/> and returns its standard output; a non-zero exit fails the test with its stderr.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)}: {error.Result}");
        return output;
    }
}
