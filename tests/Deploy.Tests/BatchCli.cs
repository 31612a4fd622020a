namespace Pipeline.Deploy.Tests;

/// <summary>
/// The options the batch Job may pass to <c>sr batch</c>: the real client's, once it has a batch command; until then
/// the contract the issue "Archive batch jobs on a real cluster, and Kubernetes deployment" fixes, which
/// deploy/k8s/README.md restates (--cluster: the Redis connection string the silos cluster on).
/// </summary>
static class BatchCli
{
    public const string Command = "batch";

    public static readonly IReadOnlySet<string> Contract = new HashSet<string> { "--input", "--output", "--scale", "--cluster", "--model" };

    public static (IReadOnlySet<string> Options, string Source) Options() =>
        ClientCli.Options(Command) is { } real ? (real, "sr batch --help") : (Contract, "the documented contract (sr has no batch command yet)");
}
