using System.Text.Json.Nodes;

namespace Pipeline.Deploy.Tests;

/// <summary>A container's resource requests and limits.</summary>
static class ContainerResources
{
    public const string Gpu = "nvidia.com/gpu";

    public static string? Request(this JsonObject container, string resource) => (string?)container["resources"]?["requests"]?[resource];

    public static string? Limit(this JsonObject container, string resource) => (string?)container["resources"]?["limits"]?[resource];

    /// <summary>What the downward API puts in an env var for <paramref name="reference"/>: the quantity divided by the
    /// divisor, rounded up.</summary>
    public static string Value(this JsonObject container, ResourceFieldRef reference)
    {
        var parts = reference.Resource.Split('.', 2);
        var quantity = (parts[0] == "requests" ? container.Request(parts[1]) : container.Limit(parts[1]))
            ?? throw new InvalidOperationException($"{reference.Resource} is not set on container {container["name"]}");
        return ((long)Math.Ceiling(Quantity.Parse(quantity) / Quantity.Parse(reference.Divisor))).ToString();
    }
}
