using System.CommandLine;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>--cluster [settings.json | redis-connection]</c>: talk to a running cluster. The file holds the silos'
/// <c>Orleans:*</c> keys (<c>Orleans:Clustering:ProviderType</c>, <c>ConnectionString</c>, <c>ServiceId</c>,
/// <c>ClusterId</c>…); any other value is the Redis connection string the silos cluster on (<c>redis:6379</c>).
/// <c>Orleans__*</c> environment variables apply on top; with neither, a localhost gateway on port 30000.
/// </summary>
static class ClusterOption
{
    public static Option<string?> Create(string description) => new("--cluster")
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "settings.json|redis",
    };

    public static bool IsGiven(this ParseResult parse, Option<string?> option) => parse.GetResult(option) is not null;
}
