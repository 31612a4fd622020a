using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Pipeline.Silo;

namespace Pipeline.Deploy.Tests;

/// <summary>
/// The silo host composed as a rendered silo container would compose it: the silo's appsettings.json, then the
/// container's environment ('__' read as ':', as .NET does), with the downward API's values made up. Built, never
/// started, so no Redis is needed.
/// </summary>
static class SiloHost
{
    public const string PodName = "silo-worker-5f7c9d-x2x4q";
    public static readonly IPAddress PodIP = IPAddress.Parse("10.244.3.17");
    public const string SecretValue = "value-from-secret";

    public static WebApplication Build(Manifest manifest, Workload silo)
    {
        var container = silo.Container;
        var settings = manifest.Env(container).Variables.ToDictionary(
            variable => variable.Key.Replace("__", ":"),
            variable => (string?)Value(manifest, container, variable.Value));
        return PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder([], builder => builder.Configuration.AddInMemoryCollection(settings)));
    }

    static string Value(Manifest manifest, System.Text.Json.Nodes.JsonObject container, EnvSource source) => source switch
    {
        Literal literal => literal.Value,
        FieldRef { FieldPath: "metadata.name" } => PodName,
        FieldRef { FieldPath: "metadata.namespace" } => manifest.Namespace,
        FieldRef { FieldPath: "status.podIP" } => PodIP.ToString(),
        ResourceFieldRef resource => container.Value(resource),
        SecretKeyRef => SecretValue,
        _ => throw new NotSupportedException(source.ToString()),
    };
}
