using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Pipeline.Hosting;

/// <summary>Configures a client of a pipeline cluster (the CLI's --cluster mode) from the same keys as a silo.</summary>
public static class PipelineClientConfiguration
{
    /// <summary>
    /// The gateway of a localhost silo (<c>Orleans:Endpoints:GatewayPort</c>, default 30000) unless
    /// <c>Orleans:Clustering:ProviderType</c> is set, in which case Orleans registered that provider from the
    /// configuration already and the client finds the gateways through it.
    /// </summary>
    public static IClientBuilder UsePipelineClustering(this IClientBuilder client)
    {
        var orleans = client.Configuration.GetSection(ConfigurationKeys.Orleans);
        if (orleans.GetSection(ConfigurationKeys.Clustering).Exists()) return client;

        return client.UseLocalhostClustering(
            orleans.GetValue(ConfigurationKeys.EndpointsGatewayPort, EndpointOptions.DEFAULT_GATEWAY_PORT),
            orleans[nameof(ClusterOptions.ServiceId)] ?? PipelineSiloConfiguration.LocalClusterId,
            orleans[nameof(ClusterOptions.ClusterId)] ?? PipelineSiloConfiguration.LocalClusterId);
    }
}
