using System.Collections.Concurrent;

namespace Pipeline.Deploy.Tests;

/// <summary>The kustomize overlays under deploy/k8s/overlays, each rendered once per test run with
/// <c>kubectl kustomize</c> (.ci/run installs kubectl).</summary>
static class Overlays
{
    static readonly ConcurrentDictionary<string, Lazy<Manifest>> Rendered = new();

    public static TheoryData<string> All()
    {
        var names = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Repository.Path("deploy", "k8s", "overlays")).Order())
            names.Add(Path.GetFileName(dir));
        return names;
    }

    public static Manifest Render(string overlay) =>
        Rendered.GetOrAdd(overlay, name => new Lazy<Manifest>(() =>
        {
            var result = Processes.Run("kubectl", "kustomize", Repository.Path("deploy", "k8s", "overlays", name));
            if (result.ExitCode != 0) throw new InvalidOperationException($"kubectl kustomize {name} failed: {result.Stderr}");
            return Manifest.Parse(result.Stdout);
        })).Value;
}
