using Pipeline.Imaging.Access;

namespace Pipeline.Imaging.GdalIO;

/// <summary>
/// Sends every network read GDAL makes in this process through one <see cref="RemoteGate"/>. A silo configures it
/// with its <c>Pipeline:Inputs</c> policy at start; otherwise the first GDAL use starts one with the CLI's
/// (<see cref="InputPolicy.Unrestricted"/>: any host, but still the byte budget per connection).
/// </summary>
public static class GdalNetwork
{
    static readonly Lock Sync = new();
    static RemoteGate? gate;

    /// <summary>The gate GDAL goes through now.</summary>
    public static RemoteGate Gate
    {
        get
        {
            lock (Sync) return gate ??= RemoteGate.Start(InputPolicy.Unrestricted);
        }
    }

    /// <summary>Replaces the process's gate: GDAL's next connection goes through the new one.</summary>
    public static void Configure(InputPolicy policy, long maxBytesPerConnection, Action<string>? warn = null)
    {
        lock (Sync)
        {
            var previous = gate;
            gate = RemoteGate.Start(policy, maxBytesPerConnection, warn);
            if (GdalNative.IsLoaded) GdalNative.RouteThrough(gate.Address);
            previous?.Dispose();
        }
    }
}
