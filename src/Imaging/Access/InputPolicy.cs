using System.Net;
using System.Text.RegularExpressions;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Access;

/// <summary>
/// Which remote scenes a process may read, checked on the path before GDAL sees it. A silo reads for whoever submits
/// jobs, so by default it reads none (<see cref="NoRemoteInputs"/>); its <c>Pipeline:Inputs</c> settings open https
/// hosts one by one. The CLI reads for the user who runs it, with that user's own network (<see cref="Unrestricted"/>).
/// Every remote part of a path counts: <c>https://</c>, <c>/vsicurl/</c> anywhere in it (inside a subdataset name or an
/// archive path too), and object stores (<c>s3://bucket</c>, <c>/vsis3/</c>, <c>/vsigs/</c>, <c>/vsiaz/</c>), whose
/// entries are <c>s3://bucket</c> or <c>s3://*</c>. GDAL's other virtual file systems (<c>/vsimem/</c>,
/// <c>/vsistdin/</c>, <c>/vsisubfile/</c>…) are no scene and are refused.
/// </summary>
/// <param name="AllowedHosts">Host names (<c>data.example.org</c>, or <c>*.example.org</c> for its subdomains), object
/// store buckets (<c>s3://bucket</c>, <c>s3://*</c>), or <c>*</c> for any host.</param>
/// <param name="AllowHttp">Also plain http (default: https only).</param>
/// <param name="AllowPrivateAddresses">Also hosts that resolve to loopback, link-local (cloud metadata services),
/// private or otherwise non-public addresses; off, such a host is refused even when listed.</param>
/// <param name="LocalRoots">Folders local scenes (and a VRT's sources) must lie in; null: anywhere.</param>
public sealed partial record InputPolicy(IReadOnlyList<string> AllowedHosts, bool AllowHttp = false, bool AllowPrivateAddresses = false,
    PathRoots? LocalRoots = null)
{
    public PathRoots Roots => LocalRoots ?? PathRoots.Anywhere;

    /// <summary>A silo's default: local scenes only.</summary>
    public static InputPolicy NoRemoteInputs { get; } = new([]);

    /// <summary>The CLI's: any host the user's machine reaches.</summary>
    public static InputPolicy Unrestricted { get; } = new(["*"], AllowHttp: true, AllowPrivateAddresses: true);

    /// <summary>How long a host name may take to resolve before the scene is refused.</summary>
    static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(10);

    static readonly string[] UrlHandlers = ["curl", "curl_streaming"];
    static readonly Dictionary<string, string> StoreHandlers = new()
    {
        ["s3"] = "s3", ["s3_streaming"] = "s3", ["gs"] = "gs", ["gs_streaming"] = "gs", ["az"] = "az", ["az_streaming"] = "az", ["adls"] = "az",
    };
    static readonly string[] ArchiveHandlers = ["zip", "gzip", "tar", "7z", "rar"];

    /// <summary>What is wrong with reading <paramref name="path"/> under this policy, or null: a local file outside the
    /// roots, or a remote one the hosts do not allow.</summary>
    public RasterFormatException? Problem(string path)
    {
        // A STAC item's location is checked here; its assets, each as an input of its own, when the item is read.
        if (Stac.StacScenePath.Is(path))
        {
            try
            {
                return Problem(Stac.StacScenePath.Parse(path).Location);
            }
            catch (ArgumentException e)
            {
                return new RasterFormatException(path, e.Message);
            }
        }
        if (!ScenePaths.IsGdalPath(path)) return RootsProblem(path, path);
        if (Roots.Confines && LocalFileOf(path) is { } file && RootsProblem(path, file) is { } outside) return outside;
        if (path.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) return StoreProblem(path, "s3", path[5..]);
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return UrlProblem(path, path);
        var checkedUrls = new List<int>();
        foreach (Match handler in VirtualFileSystem().Matches(path))
        {
            var name = handler.Groups[1].Value;
            var start = handler.Index + handler.Length;
            var rest = path[start..];
            if (UrlHandlers.Contains(name)) checkedUrls.Add(start);
            var problem = UrlHandlers.Contains(name) ? UrlProblem(path, handler.Groups[2].Value == "?" ? null : UrlAt(rest))
                : handler.Groups[2].Value == "?" ? new RasterFormatException(path, $"GDAL's /vsi{name}? form is not read here; name the file with /vsi{name}/")
                : StoreHandlers.TryGetValue(name, out var store) ? StoreProblem(path, store, rest)
                : ArchiveHandlers.Contains(name) ? (Roots.Confines ? new RasterFormatException(path, $"archives (/vsi{name}/) are not read where Pipeline:Inputs:Roots confines inputs") : null)
                : new RasterFormatException(path, $"GDAL's /vsi{name}/ is not a place a scene can be read from");
            if (problem is not null) return problem;
        }
        // A URL anywhere else (a subdataset of an OPeNDAP address, say) would be fetched by a driver, unchecked.
        return UrlScheme().Matches(path).Any(m => !checkedUrls.Contains(m.Index))
            ? new RasterFormatException(path, "names a URL that is not read through https:// or /vsicurl/, so it cannot be checked")
            : null;
    }

    RasterFormatException? RootsProblem(string path, string file) => Roots.Outside(file) is { } real
        ? new RasterFormatException(path, $"is outside Pipeline:Inputs:Roots ({string.Join(", ", Roots.Folders)}){(real == Path.GetFullPath(file) ? "" : $": it is {real}")}")
        : null;

    /// <summary>The local file a subdataset name reads (<c>NETCDF:"/data/f.nc":var</c>, <c>HDF5:/data/f.h5://var</c>),
    /// or null for other GDAL paths.</summary>
    static string? LocalFileOf(string path)
    {
        var match = SubdatasetFile().Match(path);
        if (!match.Success) return null;
        var file = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
        return file.StartsWith("/vsi", StringComparison.Ordinal) || file.Contains("://", StringComparison.Ordinal) ? null : file;
    }

    RasterFormatException? UrlProblem(string path, string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            return new RasterFormatException(path, "its remote address is not a plain http(s) URL");
        if (AllowedHosts.Count == 0) return new RasterFormatException(path, "remote scenes are not read here (Pipeline:Inputs:AllowedHosts is empty)");
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && AllowHttp))
            return new RasterFormatException(path, uri.Scheme == Uri.UriSchemeHttp
                ? "remote scenes are read over https only here (Pipeline:Inputs:AllowHttp)"
                : $"'{uri.Scheme}' is not a protocol scenes are read over");
        var host = uri.IdnHost;
        if (!HostListed(host))
            return new RasterFormatException(path, $"host {host} is not in Pipeline:Inputs:AllowedHosts ({string.Join(", ", AllowedHosts)})");
        return AllowPrivateAddresses ? null : AddressProblem(path, host);
    }

    RasterFormatException? StoreProblem(string path, string store, string rest)
    {
        var bucket = rest.Split('/', 2)[0];
        return AllowedHosts.Contains("*") || AllowedHosts.Contains($"{store}://*") || AllowedHosts.Contains($"{store}://{bucket}")
            ? null
            : new RasterFormatException(path, $"{store}://{bucket} is not in Pipeline:Inputs:AllowedHosts ({(AllowedHosts.Count == 0 ? "empty" : string.Join(", ", AllowedHosts))})");
    }

    /// <summary>Why a network connection to <paramref name="uri"/>'s host may not be opened, or null: checked by
    /// <see cref="RemoteGate"/> on every connection GDAL makes (redirects included), where the path check saw only the
    /// first. An allowed object store lets its service's endpoints through (its buckets were checked on the path).</summary>
    public string? ConnectionProblem(Uri uri)
    {
        if (uri.Scheme == Uri.UriSchemeHttp && !AllowHttp) return "plain http is not allowed here (Pipeline:Inputs:AllowHttp)";
        var host = uri.IdnHost;
        return HostListed(host) || StoreEndpoint(host) ? null : $"host {host} is not in Pipeline:Inputs:AllowedHosts ({(AllowedHosts.Count == 0 ? "empty" : string.Join(", ", AllowedHosts))})";
    }

    bool StoreEndpoint(string host)
    {
        bool Allows(string store) => AllowedHosts.Any(entry => entry.StartsWith(store + "://", StringComparison.Ordinal));
        bool Under(string domain) => host.Equals(domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
        var customS3 = Environment.GetEnvironmentVariable("AWS_S3_ENDPOINT");
        return (Allows("s3") && (Under("amazonaws.com") || (!string.IsNullOrEmpty(customS3) && Under(customS3.Split(':')[0]))))
            || (Allows("gs") && Under("storage.googleapis.com"))
            || (Allows("az") && (Under("blob.core.windows.net") || Under("dfs.core.windows.net")));
    }

    bool HostListed(string host) => AllowedHosts.Any(entry =>
        entry == "*" || string.Equals(entry, host, StringComparison.OrdinalIgnoreCase)
        || (entry.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase)));

    /// <summary>A listed host must still resolve to public addresses only: a name can point anywhere.</summary>
    static RasterFormatException? AddressProblem(string path, string host)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal]
                : Dns.GetHostAddressesAsync(host).WaitAsync(ResolveTimeout).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException)
        {
            return new RasterFormatException(path, $"host {host} does not resolve ({e.Message})");
        }
        var inner = addresses.FirstOrDefault(a => !PublicAddresses.IsPublic(a));
        return inner is null ? null
            : new RasterFormatException(path, $"host {host} is at {inner}, a {PublicAddresses.Describe(inner)} address, which remote scenes may not come from (Pipeline:Inputs:AllowPrivateAddresses)");
    }

    /// <summary>The URL at the start of <paramref name="text"/>: up to a quote or a space (a subdataset name or a
    /// GDAL option may follow it).</summary>
    static string UrlAt(string text)
    {
        var end = text.IndexOfAny(['"', '\'', ' ']);
        return end < 0 ? text : text[..end];
    }

    [GeneratedRegex("/vsi([a-z0-9_]+)([/?])")]
    private static partial Regex VirtualFileSystem();

    [GeneratedRegex("^[A-Z][A-Z0-9_]+:(?:\"([^\"]*)\"|([^:]+))")]
    private static partial Regex SubdatasetFile();

    [GeneratedRegex("[A-Za-z][A-Za-z0-9+.-]*://")]
    private static partial Regex UrlScheme();
}
