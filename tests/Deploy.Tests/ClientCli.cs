using System.Text.RegularExpressions;

namespace Pipeline.Deploy.Tests;

/// <summary>The real <c>sr</c> client (built next to this assembly through the project reference), asked for help.</summary>
static partial class ClientCli
{
    /// <summary>The long options a command defines, read from the first column of its help's option lines; null when
    /// the client has no such command (it then prints its root help, whose usage line is not "sr &lt;command&gt; …").</summary>
    public static IReadOnlySet<string>? Options(string command)
    {
        var result = Processes.Run("dotnet", Path.Combine(AppContext.BaseDirectory, "sr.dll"), command, "--help");
        if (result.ExitCode != 0) throw new InvalidOperationException($"sr {command} --help: exit {result.ExitCode}: {result.Stderr}");
        var lines = result.Stdout.Split('\n').Select(line => line.TrimStart()).ToList();
        if (!lines.Any(line => line.StartsWith($"sr {command} ", StringComparison.Ordinal))) return null;
        return lines
            .Where(line => line.StartsWith('-'))
            .SelectMany(line => LongOption().Matches(line.Split("  ")[0]).Select(m => m.Value))
            .ToHashSet();
    }

    [GeneratedRegex("--[a-z0-9][a-z0-9-]*")]
    private static partial Regex LongOption();
}
