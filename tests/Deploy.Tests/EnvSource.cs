namespace Pipeline.Deploy.Tests;

/// <summary>Where a container's environment variable gets its value once Kubernetes has resolved it.</summary>
abstract record EnvSource;

/// <summary>A plain value: literal, from a ConfigMap, or expanded from other plain values.</summary>
sealed record Literal(string Value) : EnvSource;

/// <summary>The downward API: a pod field (<c>metadata.name</c>, <c>status.podIP</c>…).</summary>
sealed record FieldRef(string FieldPath) : EnvSource;

/// <summary>The downward API: the container's own resources (<c>requests.cpu</c>…).</summary>
sealed record ResourceFieldRef(string Resource, string Divisor) : EnvSource;

sealed record SecretKeyRef(string Name, string Key) : EnvSource;
