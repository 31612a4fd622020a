using System.Text.RegularExpressions;

namespace Pipeline.Deploy.Tests;

/// <summary>deploy/docker/Dockerfile read statically (no Docker engine here): its global ARG defaults and its
/// stages, each a list of instructions with line continuations joined and comments dropped.</summary>
sealed partial class Dockerfile
{
    public sealed record Instruction(string Keyword, string Arguments);

    public sealed record Stage(string Name, string From, IReadOnlyList<Instruction> Instructions)
    {
        public IEnumerable<string> All(string keyword) =>
            Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);
    }

    public static readonly string PathInRepository = Repository.Path("deploy", "docker", "Dockerfile");

    public IReadOnlyDictionary<string, string> GlobalArgs { get; }
    public IReadOnlyList<Stage> Stages { get; }

    Dockerfile(IReadOnlyDictionary<string, string> globalArgs, IReadOnlyList<Stage> stages) => (GlobalArgs, Stages) = (globalArgs, stages);

    public Stage this[string name] => Stages.Single(s => s.Name == name);

    public static Dockerfile Load()
    {
        var text = Regex.Replace(File.ReadAllText(PathInRepository), @"^\s*#.*\n", "", RegexOptions.Multiline);
        var instructions = Continuation().Replace(text, " ").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2))
            .Select(parts => new Instruction(parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1].Trim() : ""));

        var globalArgs = new Dictionary<string, string>();
        var stages = new List<Stage>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var from = FromLine().Match(instruction.Arguments);
                stages.Add(new Stage(from.Groups["name"].Value, from.Groups["image"].Value, []));
            }
            else if (stages.Count == 0 && instruction.Keyword == "ARG")
            {
                var arg = instruction.Arguments.Split('=', 2);
                globalArgs[arg[0]] = arg.Length > 1 ? arg[1] : "";
            }
            else if (stages.Count > 0)
                stages[^1] = stages[^1] with { Instructions = [.. stages[^1].Instructions, instruction] };
        }
        return new Dockerfile(globalArgs, stages);
    }

    [GeneratedRegex(@"\\\s*\n")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"^(?<image>\S+)\s+AS\s+(?<name>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();
}
