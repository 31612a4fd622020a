using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Pipeline.Imaging;
using Pipeline.Silo;

namespace Pipeline.Grains.Tests;

/// <summary>The silo host's configuration keys select the providers Orleans registers (the host is built, not started,
/// so no Redis or PostgreSQL is needed).</summary>
public sealed class SiloHostConfigurationTests
{
    [Theory]
    [InlineData(null, "SystemTargetBasedMembershipTable", "MemoryGrainStorage")]
    [InlineData("Redis", "RedisMembershipTable", "RedisGrainStorage")]
    [InlineData("AdoNet", "AdoNetClusteringTable", "AdoNetGrainStorage")]
    public async Task The_provider_type_keys_choose_clustering_and_grain_storage(string? provider, string membershipTable, string grainStorage)
    {
        var settings = new Dictionary<string, string?>();
        if (provider is not null)
        {
            var connectionString = provider == "Redis" ? "localhost:6379" : "Host=localhost;Database=orleans;Username=orleans";
            foreach (var section in new[] { "Orleans:Clustering", "Orleans:GrainStorage:Default" })
            {
                settings[$"{section}:ProviderType"] = provider;
                settings[$"{section}:ConnectionString"] = connectionString;
                settings[$"{section}:Invariant"] = "Npgsql";
            }
        }

        await using var app = PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([], builder => builder.Configuration.AddInMemoryCollection(settings)));

        Assert.Equal(membershipTable, app.Services.GetRequiredService<IMembershipTable>().GetType().Name);
        Assert.Equal(grainStorage, app.Services.GetRequiredKeyedService<IGrainStorage>("Default").GetType().Name);
    }

    [Fact]
    public async Task The_default_model_is_bicubic()
    {
        await using var app = PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([]));

        Assert.IsType<BicubicUpscaler>(app.Services.GetRequiredService<ITileUpscaler>());
    }
}
