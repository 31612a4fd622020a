namespace Pipeline.Hosting;

/// <summary>
/// Configuration keys the pipeline reads. <c>Orleans:*</c> keys are Orleans' own (it binds them itself);
/// <c>Pipeline:*</c> keys are ours. As environment variables, ':' becomes '__'
/// (<c>Orleans__Clustering__ProviderType=Redis</c>).
/// </summary>
public static class ConfigurationKeys
{
    public const string Orleans = "Orleans";

    /// <summary>Relative to <see cref="Orleans"/>: <c>ProviderType</c> (Redis | AdoNet | Development), <c>ConnectionString</c>,
    /// <c>Invariant</c> (AdoNet: Npgsql). Absent: localhost clustering.</summary>
    public const string Clustering = "Clustering";

    /// <summary>Relative to <see cref="Orleans"/>: this silo's ports (defaults 11111 and 30000).</summary>
    public const string EndpointsSiloPort = "Endpoints:SiloPort";
    public const string EndpointsGatewayPort = "Endpoints:GatewayPort";

    /// <summary>Silo metadata: <c>role</c> (worker, coordinator, or both comma-separated) and <c>gpu.count</c>.</summary>
    public const string Metadata = "Orleans:Metadata";

    /// <summary>The default grain store: <c>ProviderType</c> (Memory | Redis | AdoNet) and its connection settings. Absent: memory.</summary>
    public const string DefaultGrainStorage = "Orleans:GrainStorage:Default";

    /// <summary>Orleans' <c>ClusterMembershipOptions</c>: <c>ProbeTimeout</c>, <c>NumMissedProbesLimit</c>,
    /// <c>NumVotesForDeathDeclaration</c>… (how fast a dead silo is declared dead). Absent: Orleans' defaults.</summary>
    public const string Membership = "Orleans:Membership";

    /// <summary>The reminder service: <c>ProviderType</c> (Memory | Redis | AdoNet) and its connection settings. Absent: memory.</summary>
    public const string Reminders = "Orleans:Reminders";
}
