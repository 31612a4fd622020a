using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Storage;
using Pipeline.Grains.Workers;
using Pipeline.Grains.Placement;
using Pipeline.Grains.Planning;
using Pipeline.Grains.Telemetry;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;

namespace Pipeline.Hosting;

/// <summary>
/// Configures a pipeline silo from <see cref="ISiloBuilder.Configuration"/>, the same configuration Orleans reads
/// its own <c>Orleans:*</c> keys from (appsettings.json, environment, command line), so the two never disagree.
/// Used by the silo host, the client's embedded silo and the tests.
/// </summary>
public static class PipelineSiloConfiguration
{
    /// <summary>Service and cluster id of a localhost cluster when none is configured (Orleans' own development default).</summary>
    internal const string LocalClusterId = "dev";

    /// <summary>Clustering (<see cref="UsePipelineClustering"/>) plus the pipeline's grains and services
    /// (<see cref="AddPipelineGrains"/>).</summary>
    public static ISiloBuilder ConfigurePipelineSilo(this ISiloBuilder silo) =>
        silo.UsePipelineClustering().UsePipelineTls().AddPipelineGrains();

    /// <summary>
    /// Localhost clustering (one silo on this machine) unless <c>Orleans:Clustering:ProviderType</c> is set:
    /// then Orleans already registered that provider (Redis, AdoNet, Development…) when it read the
    /// configuration, from the provider packages this project references.
    /// </summary>
    public static ISiloBuilder UsePipelineClustering(this ISiloBuilder silo)
    {
        var orleans = silo.Configuration.GetSection(ConfigurationKeys.Orleans);
        if (orleans.GetSection(ConfigurationKeys.Clustering).Exists()) return silo;

        // Localhost clustering sets ports and cluster identity itself, so pass the configured ones through
        // rather than let its defaults override them.
        var siloPort = orleans.GetValue(ConfigurationKeys.EndpointsSiloPort, EndpointOptions.DEFAULT_SILO_PORT);
        var gatewayPort = orleans.GetValue(ConfigurationKeys.EndpointsGatewayPort, EndpointOptions.DEFAULT_GATEWAY_PORT);
        return silo.UseLocalhostClustering(
            siloPort,
            gatewayPort,
            new IPEndPoint(IPAddress.Loopback, siloPort),
            orleans[nameof(ClusterOptions.ServiceId)] ?? LocalClusterId,
            orleans[nameof(ClusterOptions.ClusterId)] ?? LocalClusterId);
    }

    /// <summary>
    /// What every pipeline silo runs whatever its clustering (test clusters bring their own): silo metadata
    /// from <c>Orleans:Metadata</c> (role, gpu.count), the worker-role and coordinator-role placement filters, the shared tile model
    /// and its concurrency bound from <c>Pipeline:Inference</c>, the tile, job and scene metrics, the silo's plan cache, default grain storage
    /// (memory unless <c>Orleans:GrainStorage:Default:ProviderType</c> names Redis or AdoNet) and reminders (in memory unless
    /// <c>Orleans:Reminders:ProviderType</c> is set).
    /// </summary>
    public static ISiloBuilder AddPipelineGrains(this ISiloBuilder silo)
    {
        var configuration = silo.Configuration;
        var metadata = configuration.GetSection(ConfigurationKeys.Metadata).Get<Dictionary<string, string>>() ?? [];
        var gpuCount = SiloRoles.GpuCount(metadata);
        silo.UseSiloMetadata(metadata);

        var services = silo.Services;
        services.AddPipelinePlacementFilters();
        services.AddMetrics();
        services.TryAddSingleton<TileMetrics>();
        services.TryAddSingleton<SceneMetrics>();
        services.TryAddSingleton<JobMetrics>();
        services.AddHostedService<MetricsAtStart>();
        // The model of Pipeline:Model, loaded once per silo when the first job or tile needs it (a host or test that
        // registers its own ITileUpscaler wins: the last registration does). A host that registered one already (the
        // CLI's embedded silo) never loads the configured model, so it is not checked: checking the default model
        // loads libtorch, about 0.4 CPU-s for a bicubic job that needs none.
        var model = configuration.GetSection(SiloModelOptions.SectionName).Get<SiloModelOptions>() ?? new SiloModelOptions();
        if (!services.Any(service => service.ServiceType == typeof(ITileUpscaler))) model.Validate();
        services.TryAddSingleton<ITileUpscaler>(_ => ModelCatalog.Resolve(model.Name ?? ModelCatalog.DefaultModel, model.Sampling, device: model.Device, precision: TorchPrecisions.Parse(model.Precision)));
        services.TryAddSingleton<TileInferenceService>();
        // Pipeline:Inputs and Pipeline:Outputs: the remote hosts jobs may read (none by default; the CLI's embedded silo
        // registers its own) and the folders they may read and write (anywhere by default).
        var inputs = configuration.GetSection(SiloInputOptions.SectionName).Get<SiloInputOptions>() ?? new SiloInputOptions();
        if (inputs.MaxBytesPerConnection <= 0)
            throw new InvalidOperationException($"{SiloInputOptions.SectionName}:MaxBytesPerConnection must be positive, not {inputs.MaxBytesPerConnection}");
        services.TryAddSingleton(inputs.Policy);
        services.AddSingleton(inputs);
        services.AddHostedService<RemoteGateAtStart>();
        var outputs = configuration.GetSection(SiloOutputOptions.SectionName).Get<SiloOutputOptions>() ?? new SiloOutputOptions();
        services.TryAddSingleton(outputs.Policy);
        services.TryAddSingleton<TilePlanCache>();
        services.AddOptions<TileInferenceOptions>()
            .Bind(configuration.GetSection(TileInferenceOptions.SectionName))
            .Configure(options => options.GpuCount = gpuCount)
            // A torch model parallelises inside each op: on CPU, one tile at a time unless configured otherwise.
            .Configure<ITileUpscaler>((options, upscaler) =>
            {
                if (options.MaxConcurrency == 0 && options.GpuCount == 0) options.MaxConcurrency = ModelCatalog.ParallelTilesFor(upscaler);
            })
            .Validate(options => options.MaxConcurrency >= 0, $"{TileInferenceOptions.SectionName}:MaxConcurrency must not be negative")
            .ValidateOnStart();

        // The strongly consistent grain directory: when a silo dies, the new owners of its directory ranges ask the
        // surviving silos what they host. With the default directory the entries it held are lost and the survivors'
        // activations are deactivated: a running job (and its writer, with its file) restarted elsewhere after any
        // worker's death, and the job forgot which tiles were on the dead worker, so a poison tile killed one worker more.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10; the directory Orleans' own docs describe since 9.0
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003

        // Failure detection (probe timeout, missed probes, votes to declare a silo dead…), tunable per deployment.
        services.AddOptions<ClusterMembershipOptions>().Bind(configuration.GetSection(ConfigurationKeys.Membership));

        if (!configuration.GetSection(ConfigurationKeys.DefaultGrainStorage).Exists())
            silo.AddMemoryGrainStorageAsDefault();
        // Grain state in Redis or PostgreSQL is written with Orleans' own serializer, the one grain messages use and
        // every persisted type is made for ([GenerateSerializer], [Id]); the providers' JSON default cannot read a
        // job's manifest back (it refuses types outside its allow-list), so a job could not resume after its silo died.
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        // Scene jobs keep a reminder so that a job whose silo died resumes even when no client is polling it.
        if (!configuration.GetSection(ConfigurationKeys.Reminders).Exists())
            silo.UseInMemoryReminderService();
        return silo;
    }
}
