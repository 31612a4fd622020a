using System.Diagnostics;

namespace Pipeline.Deploy.Tests;

/// <summary>Runs a program to completion and returns its exit code and output.</summary>
static class Processes
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string fileName, params string[] arguments) => Run(TimeSpan.FromMinutes(1), fileName, arguments);

    public static Result Run(TimeSpan timeout, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} ran over {timeout}");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
