namespace Pipeline.Cluster.Tests;

/// <summary>
/// A cgroup (v1 memory controller) with a memory limit, as a Kubernetes pod's: a process moved into it that takes more
/// is ended by the kernel's OOM killer. Needs root and a writable <c>/sys/fs/cgroup/memory</c>, as the CI machine has;
/// anywhere else it fails with a line saying so rather than testing nothing. Disposing removes it once it is empty.
/// </summary>
sealed class MemoryCgroup : IDisposable
{
    const string Hierarchy = "/sys/fs/cgroup/memory";
    readonly string folder;

    MemoryCgroup(string folder) => this.folder = folder;

    public static MemoryCgroup Create(long limitBytes)
    {
        if (!File.Exists(Path.Combine(Hierarchy, "cgroup.procs")))
            throw new InvalidOperationException($"{Hierarchy}: no cgroup v1 memory controller here; this test needs one (run as root on Linux)");
        var folder = Path.Combine(Hierarchy, $"sr-test-{Guid.NewGuid():N}"[..20]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "memory.limit_in_bytes"), limitBytes.ToString());
        return new MemoryCgroup(folder);
    }

    /// <summary>Moves a running process (all its threads) into this cgroup: what it allocates from now on counts.</summary>
    public void Add(int pid) => File.WriteAllText(Path.Combine(folder, "cgroup.procs"), pid.ToString());

    /// <summary>How many processes the kernel's OOM killer ended in this cgroup.</summary>
    public int OomKills => File.ReadLines(Path.Combine(folder, "memory.oom_control"))
        .Where(line => line.StartsWith("oom_kill ", StringComparison.Ordinal))
        .Select(line => int.Parse(line["oom_kill ".Length..]))
        .SingleOrDefault();

    public void Dispose()
    {
        // A killed process leaves its cgroup a moment after it is reaped.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try { Directory.Delete(folder); return; }
            catch (IOException) { Thread.Sleep(100); }
        }
    }
}
