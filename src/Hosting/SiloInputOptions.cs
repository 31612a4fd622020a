using Pipeline.Imaging.Access;

namespace Pipeline.Hosting;

/// <summary>What a silo's jobs may read (configuration section <see cref="SectionName"/>); see
/// <see cref="InputPolicy"/>. The default reads no remote scene (a silo reads for whoever can submit jobs) and local
/// scenes anywhere the silo's user can read.</summary>
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

    /// <summary>Folders local scenes must lie in (links followed); empty (default): anywhere.</summary>
    public string[] Roots { get; set; } = [];

    /// <summary>Bytes one network connection of a remote read may bring in (default 2 GiB): a server that streams
    /// without end is cut there instead of filling the silo's memory. Raise it for inputs read in larger pieces.</summary>
    public long MaxBytesPerConnection { get; set; } = RemoteGate.DefaultMaxBytesPerConnection;

    public InputPolicy Policy => new(Listed(AllowedHosts), AllowHttp, AllowPrivateAddresses, new PathRoots(Listed(Roots)));

    internal static string[] Listed(string[] values) => [.. values.Select(v => v.Trim()).Where(v => v.Length > 0)];
}

/// <summary>Where a silo's jobs may write (configuration section <see cref="SectionName"/>): <c>Roots</c>, folders every
/// output must lie in (links followed); empty (default): anywhere the silo's user can write.</summary>
public sealed class SiloOutputOptions
{
    public const string SectionName = "Pipeline:Outputs";

    public string[] Roots { get; set; } = [];

    public OutputPolicy Policy => new(new PathRoots(SiloInputOptions.Listed(Roots)));
}
