namespace Pipeline.Hosting;

/// <summary>No gateway of the cluster answered in time.</summary>
public sealed class ClusterUnreachableException(string message, Exception inner) : Exception($"cannot reach the cluster: {message}", inner);
