using System.Collections.Concurrent;

namespace Pipeline.Cluster.Tests;

/// <summary>
/// A small archive as the Kubernetes batch Job reads one: a CSV manifest next to a folder of scenes (crops of four real
/// scenes: uint8 RGB, uint16 4-band, uint16 panchromatic, uint16 6-band), and what the embedded single-process
/// <c>sr batch</c> writes for it at ×2, computed once.
/// </summary>
static class Archive
{
    public static readonly string[] Scenes = ["scenes/neon.tif", "scenes/landsat/rgbnir.tif", "scenes/landsat/pan.tif", "scenes/sentinel2.tif"];
    public const string Scale = "2";

    static readonly ConcurrentDictionary<string, Lazy<Task<string>>> References = new();

    /// <summary>Copies the scenes under <paramref name="folder"/> and writes <c>&lt;name&gt;.csv</c> listing them; returns its path.
    /// The manifest's name labels the batch in the silos' metrics.</summary>
    public static string Create(string folder, string name)
    {
        var sources = new[] { TestScenes.NeonRgb, TestScenes.LandsatRgbnir, TestScenes.LandsatPan, TestScenes.Sentinel6Band };
        foreach (var (relative, source) in Scenes.Zip(sources))
        {
            var target = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
        var manifest = Path.Combine(folder, $"{name}.csv");
        File.WriteAllLines(manifest, ["input", .. Scenes]);
        return manifest;
    }

    /// <summary>The output folder of the embedded single-process run of the same archive.</summary>
    public static Task<string> ReferenceAsync() => References.GetOrAdd("x" + Scale, _ => new Lazy<Task<string>>(async () =>
    {
        var folder = TestScenes.TemporaryFolder("sr-archive-reference-");
        var manifest = Create(folder, "reference");
        var output = Path.Combine(folder, "out");
        var result = await Sr.RunAsync(["batch", "--input", manifest, "--output", output, "--scale", Scale, "--model", "bicubic", "--quiet"]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"the embedded reference run failed ({result.ExitCode}):\n{result.Stdout}{result.Stderr}");
        return output;
    })).Value;

    /// <summary>Every scene's output under <paramref name="output"/> has the same tiles and tags as the embedded run's.</summary>
    public static async Task AssertSameAsEmbeddedAsync(string output)
    {
        var reference = await ReferenceAsync();
        foreach (var scene in Scenes)
        {
            TiffContent.AssertSame(Path.Combine(reference, scene), Path.Combine(output, scene));
            // The consistency map too: tiles' sums reduced in tile order, whichever silo measured them.
            TiffContent.AssertSame(Imaging.OutputSidecars.ConsistencyMap(Path.Combine(reference, scene)),
                Imaging.OutputSidecars.ConsistencyMap(Path.Combine(output, scene)));
        }
        Assert.Empty(Directory.GetFiles(output, "*.partial-*", SearchOption.AllDirectories));
    }

    /// <summary>The outputs written so far.</summary>
    public static string[] Written(string output) => Scenes.Where(scene => File.Exists(Path.Combine(output, scene))).ToArray();

    /// <summary>Longest a batch of this archive may take on a cluster, silo losses included.</summary>
    public static readonly TimeSpan BatchTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The batch Job's command line (deploy/k8s/base/batch-job.yaml) for this archive and a Redis cluster.</summary>
    public static string[] BatchArguments(string manifest, string output, RedisServer redis, params string[] more) =>
        ["batch", "--input", manifest, "--output", output, "--scale", Scale, "--cluster", redis.ConnectionString, "--model", "bicubic", .. more];

    /// <summary>Waits until the batch has written its first output and returns what is written at that moment.</summary>
    public static async Task<string[]> WaitForFirstOutputAsync(string output, ChildProcess client)
    {
        var deadline = DateTime.UtcNow + BatchTimeout;
        while (Written(output) is { Length: 0 })
        {
            if (client.HasExited) throw new InvalidOperationException($"the batch ended ({client.ExitCode}) before any output:\n{client.Stdout}{client.Stderr}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no output within {BatchTimeout}:\n{client.Stdout}{client.Stderr}");
            await Task.Delay(50);
        }
        return Written(output);
    }
}
