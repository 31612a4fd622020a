using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Deploy.Tests;

/// <summary>
/// A container's environment as Kubernetes resolves it: ConfigMap keys looked up in the rendered manifest (so a
/// reference to a missing or misnamed ConfigMap fails), and <c>$(VAR)</c> expanded from variables defined
/// earlier in the list, as Kubernetes does (a later or unknown one is an error here: Kubernetes would leave it
/// unexpanded).
/// </summary>
sealed partial class ContainerEnvironment
{
    readonly Manifest manifest;
    readonly Dictionary<string, EnvSource> variables = [];

    public ContainerEnvironment(Manifest manifest, JsonObject container)
    {
        this.manifest = manifest;
        foreach (var entry in container["env"].Items())
            variables[(string)entry["name"]!] = entry["valueFrom"] is { } from ? From(from.AsObject()) : Expand((string)entry["value"]!);
    }

    public IReadOnlyDictionary<string, EnvSource> Variables => variables;

    public bool Has(string name) => variables.ContainsKey(name);

    public EnvSource this[string name] =>
        variables.TryGetValue(name, out var source) ? source : throw new KeyNotFoundException($"no env {name}");

    public string? Literal(string name) => variables.GetValueOrDefault(name) is Literal literal ? literal.Value : null;

    /// <summary>A value (an env value or a container argument) with <c>$(VAR)</c> references resolved.</summary>
    public EnvSource Expand(string value)
    {
        var whole = Reference().Match(value);
        if (whole.Success && whole.Length == value.Length) return this[whole.Groups[1].Value];
        return new Literal(Reference().Replace(value, m => this[m.Groups[1].Value] switch
        {
            Literal literal => literal.Value,
            // Kubernetes expands a Secret-backed variable too; here it stands as a marker naming its source.
            SecretKeyRef secret => SecretMarker(secret),
            _ => throw new InvalidOperationException($"{value}: $({m.Groups[1].Value}) is not a plain value"),
        }));
    }

    /// <summary>How a Secret's value appears inside an expanded string.</summary>
    public static string SecretMarker(SecretKeyRef secret) => $"<secret {secret.Name}/{secret.Key}>";

    EnvSource From(JsonObject from)
    {
        if (from["fieldRef"] is { } field) return new FieldRef((string)field["fieldPath"]!);
        if (from["resourceFieldRef"] is { } resource) return new ResourceFieldRef((string)resource["resource"]!, (string?)resource["divisor"] ?? "1");
        if (from["secretKeyRef"] is { } secret) return new SecretKeyRef((string)secret["name"]!, (string)secret["key"]!);
        if (from["configMapKeyRef"] is { } key)
            return new Literal((string)manifest.Get("ConfigMap", (string)key["name"]!)["data"]![(string)key["key"]!]!);
        throw new NotSupportedException(from.ToJsonString());
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex Reference();
}
