using Pipeline.Imaging.Remote;

namespace Pipeline.Hosting;

/// <summary>What a silo's jobs may read (configuration section <see cref="SectionName"/>); see
/// <see cref="RemoteInputPolicy"/>. The default reads no remote scene: a silo reads for whoever can submit jobs.</summary>
public sealed class SiloInputOptions
{
    public const string SectionName = "Pipeline:Inputs";

    /// <summary>Hosts remote scenes may come from (<c>data.example.org</c>, <c>*.example.org</c>, <c>s3://bucket</c>,
    /// <c>*</c>); empty (default): none.</summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Plain http too (default: https only).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Hosts on loopback, link-local or private addresses too (default: refused even when listed).</summary>
    public bool AllowPrivateAddresses { get; set; }

    public RemoteInputPolicy Policy => new([.. AllowedHosts.Select(h => h.Trim()).Where(h => h.Length > 0)], AllowHttp, AllowPrivateAddresses);
}
