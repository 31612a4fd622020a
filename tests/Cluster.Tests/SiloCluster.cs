using Pipeline.Bench;
using Pipeline.Hosting;

namespace Pipeline.Cluster.Tests;

/// <summary>
/// Silo processes sharing one cluster identity and provider settings (Redis or PostgreSQL), all workers and
/// coordinators, and the environment a client needs to join them. Disposing kills every silo still running.
/// </summary>
sealed class SiloCluster : IAsyncDisposable
{
    readonly List<SiloProcess> silos;

    SiloCluster(List<SiloProcess> silos, IReadOnlyDictionary<string, string?> identity, string folder)
    {
        this.silos = silos;
        ClientEnvironment = identity;
        Folder = folder;
    }

    public IReadOnlyList<SiloProcess> Silos => silos;

    /// <summary><c>Orleans__ServiceId</c> and <c>Orleans__ClusterId</c>, as the Kubernetes batch Job sets them.</summary>
    public IReadOnlyDictionary<string, string?> ClientEnvironment { get; }

    /// <summary>Where the silos' logs are.</summary>
    public string Folder { get; }

    /// <summary>Redis membership, grain storage and reminders, as deploy/k8s configures the silos.</summary>
    public static Dictionary<string, string?> Redis(string connectionString) => Providers("Redis", connectionString, invariant: null);

    /// <summary>PostgreSQL (ADO.NET, Npgsql) membership, grain storage and reminders.</summary>
    public static Dictionary<string, string?> Postgres(string connectionString) => Providers("AdoNet", connectionString, invariant: "Npgsql");

    /// <param name="model">Every silo's <c>Pipeline:Model:Name</c>.</param>
    public static Task<SiloCluster> StartAsync(int count, Dictionary<string, string?> providers, string folder, string model = "bicubic") =>
        StartAsync([.. Enumerable.Repeat(model, count)], providers, folder);

    /// <param name="models">One silo per entry, with that <c>Pipeline:Model:Name</c>.</param>
    /// <param name="roles">Each silo's <c>Orleans:Metadata:role</c> by its index (default: worker,coordinator).</param>
    public static async Task<SiloCluster> StartAsync(IReadOnlyList<string> models, Dictionary<string, string?> providers, string folder,
        Func<int, string>? roles = null)
    {
        var id = $"test-{Guid.NewGuid():N}"[..17];
        var identity = new Dictionary<string, string?> { ["Orleans__ServiceId"] = id, ["Orleans__ClusterId"] = id };
        var settings = new Dictionary<string, string?>(providers);
        foreach (var (key, value) in identity) settings[key] = value;
        var silos = models.Select((model, i) => StartSilo($"silo{i}", settings, folder, model, roles?.Invoke(i))).ToList();
        var cluster = new SiloCluster(silos, identity, folder);
        try
        {
            await Task.WhenAll(silos.Select(silo => silo.WaitReadyAsync(TimeSpan.FromSeconds(120))));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>The sum over the silos still running of a Prometheus sample whose labels include all of <paramref name="labels"/>.</summary>
    public async Task<double> MetricAsync(string name, params string[] labels)
    {
        var total = 0.0;
        foreach (var silo in silos.Where(s => !s.HasExited)) total += await silo.MetricAsync(name, labels);
        return total;
    }

    /// <summary>The last lines each silo logged, for a failure message.</summary>
    public string LogTails() => string.Join("\n", silos.Select(silo =>
        $"--- {silo.Name}{(silo.HasExited ? " (exited)" : "")}: {silo.LogPath}\n{ChildProcess.Tail(File.Exists(silo.LogPath) ? File.ReadAllText(silo.LogPath) : "", 30)}"));

    /// <summary>Copies the silos' logs somewhere the test's cleanup leaves alone, and says where.</summary>
    public string KeepLogs()
    {
        var kept = Directory.CreateTempSubdirectory("sr-cluster-logs-").FullName;
        foreach (var log in Directory.GetFiles(Folder, "*.log")) File.Copy(log, Path.Combine(kept, Path.GetFileName(log)));
        return $"logs kept in {kept}";
    }

    /// <summary>Kills the silos (a test has no use for their graceful stop) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in silos)
        {
            if (!silo.HasExited) silo.Kill();
            await silo.DisposeAsync();
        }
    }

    /// <summary>One silo host from the build output on free loopback ports, in the given cluster, logging its
    /// membership changes and the pipeline's own lines.</summary>
    static SiloProcess StartSilo(string name, IReadOnlyDictionary<string, string?> cluster, string folder, string model, string? role)
    {
        var httpPort = FreePort.Next();
        var settings = SiloProcess.LoopbackSettings(name, httpPort, model);
        if (role is not null) settings["Orleans:Metadata:role"] = role;
        foreach (var (key, value) in cluster) settings[key] = value;
        settings["Pipeline:ShutdownTimeout"] = "00:00:05";
        settings["Logging:LogLevel:Orleans.Runtime.MembershipService"] = "Information";
        settings["Logging:LogLevel:Pipeline"] = "Information";
        settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information";
        return SiloProcess.Start(BuildOutput.File("Silo", "pipeline-silo.dll"), name, settings, httpPort, Path.Combine(folder, $"{name}.log"));
    }

    static Dictionary<string, string?> Providers(string provider, string connectionString, string? invariant)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var section in new[] { "Orleans__Clustering", "Orleans__GrainStorage__Default", "Orleans__Reminders" })
        {
            settings[$"{section}__ProviderType"] = provider;
            settings[$"{section}__ConnectionString"] = connectionString;
            if (invariant is not null) settings[$"{section}__Invariant"] = invariant;
        }
        return settings;
    }
}
