using System.Net;
using System.Net.Sockets;
using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.Tests.GdalIO;
using Pipeline.Imaging.Tests.GeoTiff;

namespace Pipeline.Imaging.Tests.Access;

/// <summary>Issue 30, "the network": which remote scenes a silo reads (none by default; https hosts it lists, on public
/// addresses only) and the CLI's unrestricted reads, decided on the path before any request.</summary>
public sealed class InputPolicyTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    static string? Problem(InputPolicy policy, string path) => policy.Problem(path)?.Message;

    [Fact]
    public void A_silo_reads_no_remote_scene_by_default_and_local_paths_are_not_its_business()
    {
        var policy = InputPolicy.NoRemoteInputs;
        Assert.Equal("https://data.example.org/a.tif: remote scenes are not read here (Pipeline:Inputs:AllowedHosts is empty)",
            Problem(policy, "https://data.example.org/a.tif"));
        Assert.Contains("s3://bucket is not in Pipeline:Inputs:AllowedHosts (empty)", Problem(policy, "s3://bucket/scene.tif"));
        Assert.Contains("s3://bucket is not in", Problem(policy, "/vsis3/bucket/scene.tif"));
        Assert.Null(Problem(policy, "/data/scene.tif"));
        Assert.Null(Problem(policy, "/vsizip//data/scenes.zip/scene.tif"));
    }

    [Theory]
    [InlineData("https://93.184.216.34/a.tif", null)]
    [InlineData("https://tiles.example.org/a.tif", "host tiles.example.org is not in Pipeline:Inputs:AllowedHosts (93.184.216.34, *.example.net, s3://open-data)")]
    [InlineData("http://93.184.216.34/a.tif", "remote scenes are read over https only here (Pipeline:Inputs:AllowHttp)")]
    [InlineData("/vsicurl/ftp://93.184.216.34/a.tif", "'ftp' is not a protocol scenes are read over")]
    [InlineData("/vsicurl?url=https%3A%2F%2F93.184.216.34%2Fa.tif", "its remote address is not a plain http(s) URL")]
    [InlineData("s3://open-data/a.tif", null)]
    [InlineData("s3://private-bucket/a.tif", "s3://private-bucket is not in Pipeline:Inputs:AllowedHosts")]
    [InlineData("/vsimem/a.tif", "GDAL's /vsimem/ is not a place a scene can be read from")]
    [InlineData("/vsistdin/", "GDAL's /vsistdin/ is not a place a scene can be read from")]
    [InlineData("/vsisubfile/0_100,/etc/passwd", "GDAL's /vsisubfile/ is not a place a scene can be read from")]
    [InlineData("NETCDF:\"/vsicurl/https://tiles.example.org/a.nc\":Band1", "host tiles.example.org is not in")]
    [InlineData("NETCDF:\"https://93.184.216.34/dap/a.nc\":Band1", "names a URL that is not read through https:// or /vsicurl/, so it cannot be checked")]
    [InlineData("/vsizip//vsicurl/https://tiles.example.org/a.zip/a.tif", "host tiles.example.org is not in")]
    public void Listed_https_hosts_and_buckets_only(string path, string? problem)
    {
        var policy = new InputPolicy(["93.184.216.34", "*.example.net", "s3://open-data"]);
        var message = Problem(policy, path);
        if (problem is null) Assert.Null(message);
        else Assert.Contains(problem, message);
        if (message is not null) Assert.StartsWith(path + ": ", message);
    }

    [Theory]
    [InlineData("https://127.0.0.1/a.tif", "127.0.0.1, a loopback address")]
    [InlineData("https://localhost/a.tif", "a loopback address")]
    [InlineData("https://[::1]/a.tif", "::1, a loopback address")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "169.254.169.254, a link-local address")]
    [InlineData("https://10.0.0.7/a.tif", "10.0.0.7, a private address")]
    [InlineData("https://192.168.1.20/a.tif", "a private address")]
    [InlineData("https://100.100.100.200/a.tif", "a shared (carrier-grade NAT) address")]
    public void A_listed_host_on_a_non_public_address_is_refused(string path, string problem)
    {
        var policy = new InputPolicy(["*"]);
        var message = Problem(policy, path);
        Assert.Contains(problem, message);
        Assert.EndsWith("which remote scenes may not come from (Pipeline:Inputs:AllowPrivateAddresses)", message);
        Assert.Null(Problem(policy with { AllowPrivateAddresses = true }, path));
    }

    [Fact]
    public void A_refused_remote_scene_is_never_requested_and_an_allowed_one_is_read()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/scene.tif";
        foreach (var policy in new[] { InputPolicy.NoRemoteInputs, new InputPolicy(["127.0.0.1"], AllowHttp: true), new InputPolicy(["127.0.0.1"], AllowPrivateAddresses: true) })
            Assert.Throws<RasterFormatException>(() => RasterReaders.Open(url, policy));
        Assert.False(listener.Pending(), "a refused scene's host was contacted");

        var folder = scratch.File("served");
        Directory.CreateDirectory(folder);
        Copies.Copy(SharedScenes.LandsatRgbnir, Path.Combine(folder, "scene.tif"));
        using var server = new RangeHttpServer(folder);
        using var reader = RasterReaders.Open(server.Url("scene.tif"), new InputPolicy(["127.0.0.1"], AllowHttp: true, AllowPrivateAddresses: true));
        Assert.IsType<GdalReader>(reader);
        Assert.Equal((627, 603), (reader.Info.Width, reader.Info.Height));
    }

    [Fact]
    public void With_roots_local_scenes_subdatasets_archives_and_VRT_sources_must_resolve_inside()
    {
        var root = scratch.File("archive");
        Directory.CreateDirectory(root);
        var scene = Path.Combine(root, "scene.tif");
        Copies.Copy(SharedScenes.LandsatRgbnir, scene);
        File.CreateSymbolicLink(Path.Combine(root, "link.tif"), SharedScenes.LandsatRgbnir);
        var policy = InputPolicy.NoRemoteInputs with { LocalRoots = new PathRoots([root]) };

        Assert.Null(Problem(policy, scene));
        Assert.Equal($"{SharedScenes.LandsatRgbnir}: is outside Pipeline:Inputs:Roots ({root})", Problem(policy, SharedScenes.LandsatRgbnir));
        Assert.Equal($"{root}/link.tif: is outside Pipeline:Inputs:Roots ({root}): it is {Path.GetFullPath(SharedScenes.LandsatRgbnir)}",
            Problem(policy, Path.Combine(root, "link.tif")));
        Assert.Contains("is outside Pipeline:Inputs:Roots", Problem(policy, root + "/../archive/../x.tif"));
        Assert.Contains("is outside Pipeline:Inputs:Roots", Problem(policy, $"NETCDF:\"{SharedScenes.LandsatRgbnir}\":Band1"));
        Assert.Null(Problem(policy, $"NETCDF:\"{scene}\":Band1"));
        Assert.Contains("archives (/vsizip/) are not read where Pipeline:Inputs:Roots confines inputs", Problem(policy, $"/vsizip/{root}/a.zip/x.tif"));

        var vrt = Path.Combine(root, "outside.vrt");
        File.WriteAllText(vrt, $"""
            <VRTDataset rasterXSize="627" rasterYSize="603">
              <VRTRasterBand dataType="UInt16" band="1">
                <SimpleSource><SourceFilename relativeToVRT="1">link.tif</SourceFilename><SourceBand>1</SourceBand></SimpleSource>
              </VRTRasterBand>
            </VRTDataset>
            """);
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(vrt, policy));
        Assert.Equal($"{vrt}: VRT source 'link.tif' is outside Pipeline:Inputs:Roots ({root}): it is {Path.GetFullPath(SharedScenes.LandsatRgbnir)}", error.Message);
        using (RasterReaders.Open(vrt)) { } // the CLI's reads are not confined
    }

    [Fact]
    public void A_real_path_follows_links_and_dot_dots_and_a_file_to_be_made_takes_its_folders()
    {
        var root = scratch.File("r");
        Directory.CreateDirectory(root);
        Directory.CreateSymbolicLink(Path.Combine(root, "up"), scratch.File(""));
        Assert.Equal(Path.Combine(PathRoots.RealPath(scratch.File("")), "new", "x.tif"), PathRoots.RealPath(Path.Combine(root, "up", "new", "x.tif")));
        Assert.Equal(PathRoots.RealPath(root), PathRoots.RealPath(root + "/a/../"));
        Assert.Null(new PathRoots([root]).Outside(Path.Combine(root, "a", "b.tif")));
        Assert.NotNull(new PathRoots([root]).Outside(Path.Combine(root, "up", "b.tif")));
        Assert.NotNull(new PathRoots([root]).Outside(root + "-sibling/b.tif"));
    }
}
