using Pipeline.Imaging.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Persistence;
using Orleans.Storage;
using Pipeline.Grains.Workers;
using Pipeline.Hosting;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;
using Pipeline.Silo;

namespace Pipeline.Grains.Tests;

/// <summary>The silo host's configuration keys select the providers Orleans registers (the host is built, not started,
/// so no Redis or PostgreSQL is needed).</summary>
public sealed class SiloHostConfigurationTests
{
    [Theory]
    [InlineData(null, "SystemTargetBasedMembershipTable", "MemoryGrainStorage", "InMemoryReminderTable")]
    [InlineData("Redis", "RedisMembershipTable", "RedisGrainStorage", "RedisReminderTable")]
    [InlineData("AdoNet", "AdoNetClusteringTable", "AdoNetGrainStorage", "AdoNetReminderTable")]
    public async Task The_provider_type_keys_choose_clustering_grain_storage_and_reminders(string? provider, string membershipTable, string grainStorage, string reminderTable)
    {
        var settings = new Dictionary<string, string?>();
        if (provider is not null)
        {
            var connectionString = provider == "Redis" ? "localhost:6379" : "Host=localhost;Database=orleans;Username=orleans";
            foreach (var section in new[] { "Orleans:Clustering", "Orleans:GrainStorage:Default", "Orleans:Reminders" })
            {
                settings[$"{section}:ProviderType"] = provider;
                settings[$"{section}:ConnectionString"] = connectionString;
                settings[$"{section}:Invariant"] = "Npgsql";
            }
        }

        await using var app = PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([], builder => builder.Configuration.AddInMemoryCollection(settings)));

        Assert.Equal(membershipTable, app.Services.GetRequiredService<IMembershipTable>().GetType().Name);
        Assert.Equal(grainStorage, app.Services.GetRequiredKeyedService<IGrainStorage>("Default").GetType().Name);
        Assert.Equal(reminderTable, app.Services.GetRequiredService<IReminderTable>().GetType().Name);
    }

    /// <summary>The providers' JSON default refuses to read a job's manifest back (found by the Redis cluster tests:
    /// a job could not resume on another silo); state is written with Orleans' serializer instead.</summary>
    [Fact]
    public async Task Durable_grain_storage_writes_state_with_the_Orleans_serializer()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:GrainStorage:Default:ProviderType"] = "Redis",
            ["Orleans:GrainStorage:Default:ConnectionString"] = "localhost:6379",
        };

        await using var app = PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([], builder => builder.Configuration.AddInMemoryCollection(settings)));

        Assert.IsType<OrleansGrainStorageSerializer>(app.Services.GetRequiredService<IOptionsMonitor<RedisStorageOptions>>().Get("Default").GrainStorageSerializer);
    }

    [Fact]
    public async Task A_silo_runs_the_shipped_model_by_default_one_tile_at_a_time_on_CPU()
    {
        await using var app = PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([]));

        using var model = Assert.IsType<LatentTileUpscaler>(app.Services.GetRequiredService<ITileUpscaler>());
        Assert.Equal("deterministic-small", model.Name);
        Assert.Equal(1, app.Services.GetRequiredService<TileInferenceService>().MaxConcurrency);
    }

    [Theory]
    [InlineData("bicubic", "deterministic", "bicubic")]
    [InlineData("small", "lcmsr", "lcmsr-small")]
    [InlineData("e2diffsr-small", "e2diffsr", "e2diffsr-small")]
    [InlineData("idm-small", "", "idm-small")]
    [InlineData("idm-small", "ddim", "idm-small")]
    [InlineData("small", "", "deterministic-small@bf16", "bf16")]
    [InlineData("bicubic", "", "bicubic", "bf16")]
    public async Task Pipeline_Model_chooses_the_model_sampler_and_precision(string name, string sampler, string expected, string precision = "fp32")
    {
        var settings = new Dictionary<string, string?> { ["Pipeline:Model:Name"] = name, ["Pipeline:Model:Sampler"] = sampler, ["Pipeline:Model:Precision"] = precision };
        await using var app = PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([], builder => builder.Configuration.AddInMemoryCollection(settings)));

        var upscaler = app.Services.GetRequiredService<ITileUpscaler>();
        Assert.Equal(expected, upscaler.Name);
        (upscaler as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task Pipeline_Inputs_lists_the_remote_hosts_a_silo_reads_and_none_by_default()
    {
        await using (var plain = PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([])))
        {
            var none = plain.Services.GetRequiredService<InputPolicy>();
            Assert.Empty(none.AllowedHosts);
            Assert.NotNull(none.Problem("https://data.example.org/a.tif"));
        }

        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:Inputs:AllowedHosts:0"] = "data.example.org",
            ["Pipeline:Inputs:AllowedHosts:1"] = "s3://open-data",
            ["Pipeline:Inputs:AllowHttp"] = "true",
            ["Pipeline:Inputs:MaxBytesPerConnection"] = "1000000",
        };
        await using var app = PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([], builder => builder.Configuration.AddInMemoryCollection(settings)));
        var policy = app.Services.GetRequiredService<InputPolicy>();
        Assert.Equal(["data.example.org", "s3://open-data"], policy.AllowedHosts);
        Assert.True(policy.AllowHttp);
        Assert.False(policy.AllowPrivateAddresses);
        Assert.Equal(1_000_000, app.Services.GetRequiredService<SiloInputOptions>().MaxBytesPerConnection);

        settings["Pipeline:Inputs:MaxBytesPerConnection"] = "0";
        var error = Assert.Throws<InvalidOperationException>(() =>
            PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([], builder => builder.Configuration.AddInMemoryCollection(settings))));
        Assert.Equal("Pipeline:Inputs:MaxBytesPerConnection must be positive, not 0", error.Message);
    }

    [Theory]
    [InlineData("no-such-model", "deterministic", "no-such-model: unknown model")]
    [InlineData("e2diffsr-small", "fancy", "which sample with deterministic | e2diffsr | lcmsr, not the fancy sampler")]
    [InlineData("idm-small", "lcmsr", "holds idm weights, which sample with ddim | ddim-reference, not the lcmsr sampler")]
    [InlineData("idm-small", "deterministic", "holds idm weights, which sample with ddim | ddim-reference, not the deterministic sampler")]
    [InlineData("small", "", "precision 'fp16': expected fp32 or bf16", "fp16")]
    public void A_model_that_does_not_exist_stops_the_silo_from_starting(string name, string sampler, string message, string precision = "fp32")
    {
        var settings = new Dictionary<string, string?> { ["Pipeline:Model:Name"] = name, ["Pipeline:Model:Sampler"] = sampler, ["Pipeline:Model:Precision"] = precision };

        var error = Assert.Throws<ArgumentException>(() =>
            PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([], builder => builder.Configuration.AddInMemoryCollection(settings))));
        Assert.StartsWith("Pipeline:Model: ", error.Message);
        Assert.Contains(message, error.Message);
    }
}
