namespace Pipeline.TestSupport;

/// <summary>The real <c>sr</c> client, run from its build output as <c>dotnet sr.dll …</c>.</summary>
public static class Sr
{
    public static string Dll => BuildOutput.File("Client", "sr.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static ChildProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? logFile = null) =>
        ChildProcess.Start("dotnet", [Dll, .. arguments], environment, logFile: logFile);

    public static async Task<Result> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        await using var sr = Start(arguments, environment);
        var exitCode = await sr.WaitAsync(timeout ?? TimeSpan.FromMinutes(3));
        return new Result(exitCode, sr.Stdout, sr.Stderr);
    }
}
