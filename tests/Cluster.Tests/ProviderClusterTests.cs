using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Pipeline.Cluster.Tests;

/// <summary>Two silo processes on each production provider the mirror has (Redis; PostgreSQL through ADO.NET, its
/// schema from deploy/sql/postgresql), with membership, grain storage and reminders there, run a scene for the real
/// client; the output is the in-process job's, and the state is where it should be.</summary>
public sealed class ProviderClusterTests : IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("sr-providers-").FullName;

    [Fact]
    public async Task Two_silo_processes_on_a_password_protected_Redis_upscale_a_scene_like_the_in_process_job()
    {
        // With a password, as the Kubernetes manifests run Redis: silos and client pass it in the connection string.
        await using var redis = await RedisServer.StartAsync(password: "pipeline-test-secret");
        await using var cluster = await SiloCluster.StartAsync(2, SiloCluster.Redis(redis.ConnectionString), work);
        var output = Path.Combine(work, "neon_x2.tif");

        var result = await Sr.RunAsync(["upscale", TestScenes.NeonRgb, "--out", output, "--scale", "2", "--model", "bicubic", "--quiet", "--cluster", redis.ConnectionString],
            cluster.ClientEnvironment);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        TiffContent.AssertSame(TestScenes.Reference(TestScenes.NeonRgb, 2), output);
        var keys = await redis.KeysAsync();
        var clusterId = cluster.ClientEnvironment["Orleans__ClusterId"]!;
        Assert.Contains(keys, key => key.Contains(clusterId, StringComparison.Ordinal));
        Assert.Contains(keys, key => key.Contains("scenejob", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_silo_processes_on_PostgreSQL_upscale_a_scene_like_the_in_process_job()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var cluster = await SiloCluster.StartAsync(2, SiloCluster.Postgres(postgres.ConnectionString), work);
        var settings = Path.Combine(work, "cluster.json");
        File.WriteAllText(settings, JsonSerializer.Serialize(new
        {
            Orleans = new
            {
                ServiceId = cluster.ClientEnvironment["Orleans__ServiceId"],
                ClusterId = cluster.ClientEnvironment["Orleans__ClusterId"],
                Clustering = new { ProviderType = "AdoNet", Invariant = "Npgsql", postgres.ConnectionString },
            },
        }));
        var output = Path.Combine(work, "rgbnir_x2.tif");

        var result = await Sr.RunAsync(["upscale", TestScenes.LandsatRgbnir, "--out", output, "--scale", "2", "--model", "bicubic", "--quiet", "--cluster", settings]);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        TiffContent.AssertSame(TestScenes.Reference(TestScenes.LandsatRgbnir, 2), output);
        Assert.Equal(["2"], await postgres.QueryAsync("SELECT count(*) FROM OrleansMembershipTable WHERE Status = 3"));
        var jobs = await postgres.QueryAsync("SELECT Version FROM OrleansStorage WHERE GrainTypeString LIKE '%job%' AND PayloadBinary IS NOT NULL");
        Assert.True(int.Parse(Assert.Single(jobs)) >= 2, "the job's manifest was written at submission and again when it finished");
    }

    [Fact]
    public async Task Silos_and_client_on_TLS_upscale_a_scene_and_a_client_without_the_certificate_gets_no_answer()
    {
        var certificate = Path.Combine(work, "cluster.pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=sr-pipeline-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllBytes(certificate, selfSigned.Export(X509ContentType.Pkcs12, "test-password"));
        }
        var tls = new Dictionary<string, string?> { ["Pipeline__Tls__CertificatePath"] = certificate, ["Pipeline__Tls__CertificatePassword"] = "test-password" };
        await using var redis = await RedisServer.StartAsync();
        var providers = SiloCluster.Redis(redis.ConnectionString);
        foreach (var (name, value) in tls) providers[name] = value;
        await using var cluster = await SiloCluster.StartAsync(2, providers, work);
        var withCertificate = new Dictionary<string, string?>(cluster.ClientEnvironment);
        foreach (var (name, value) in tls) withCertificate[name] = value;
        string[] Upscale(string output) => ["upscale", TestScenes.LandsatRgbnir, "--out", output, "--scale", "2", "--model", "bicubic", "--quiet", "--cluster", redis.ConnectionString];

        var result = await Sr.RunAsync(Upscale(Path.Combine(work, "tls_x2.tif")), withCertificate);
        var refused = await Sr.RunAsync(Upscale(Path.Combine(work, "plain_x2.tif")), cluster.ClientEnvironment);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr + cluster.LogTails());
        TiffContent.AssertSame(TestScenes.Reference(TestScenes.LandsatRgbnir, 2), Path.Combine(work, "tls_x2.tif"));
        Assert.True(refused.ExitCode == 3, $"exit {refused.ExitCode}: {refused.Stderr}");
        Assert.False(File.Exists(Path.Combine(work, "plain_x2.tif")));
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
