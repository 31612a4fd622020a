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
    public static async Task<SiloCluster> StartAsync(int count, Dictionary<string, string?> providers, string folder, string model = "bicubic")
    {
        var id = $"test-{Guid.NewGuid():N}"[..17];
        var identity = new Dictionary<string, string?> { ["Orleans__ServiceId"] = id, ["Orleans__ClusterId"] = id };
        var settings = new Dictionary<string, string?>(providers);
        foreach (var (key, value) in identity) settings[key] = value;
        var silos = Enumerable.Range(0, count).Select(i => SiloProcess.Start($"silo{i}", settings, folder, model)).ToList();
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
        foreach (var silo in silos.Where(s => !s.HasExited))
        {
            foreach (var line in (await silo.MetricsAsync()).Split('\n'))
            {
                if (!line.StartsWith(name + "{", StringComparison.Ordinal) || !labels.All(label => line.Contains(label, StringComparison.Ordinal))) continue;
                total += double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    /// <summary>The last lines each silo logged, for a failure message.</summary>
    public string LogTails() => string.Join("\n", silos.Select(silo =>
        $"--- {silo.Name}{(silo.HasExited ? " (exited)" : "")}: {silo.LogFile}\n{ChildProcess.Tail(File.Exists(silo.LogFile) ? File.ReadAllText(silo.LogFile) : "", 30)}"));

    /// <summary>Copies the silos' logs somewhere the test's cleanup leaves alone, and says where.</summary>
    public string KeepLogs()
    {
        var kept = Directory.CreateTempSubdirectory("sr-cluster-logs-").FullName;
        foreach (var log in Directory.GetFiles(Folder, "*.log")) File.Copy(log, Path.Combine(kept, Path.GetFileName(log)));
        return $"logs kept in {kept}";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in silos) await silo.DisposeAsync();
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
