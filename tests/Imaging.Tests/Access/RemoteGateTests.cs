using System.Diagnostics;
using System.Net;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tests.GdalIO;
using Pipeline.Imaging.Tests.GeoTiff;

namespace Pipeline.Imaging.Tests.Access;

/// <summary>The process's GDAL network gate is one for the whole process: its tests run alone.</summary>
[CollectionDefinition(nameof(GdalNetworkCollection), DisableParallelization = true)]
public sealed class GdalNetworkCollection;

/// <summary>Issue 30, "the network", past the path check: every connection GDAL opens goes through the
/// <see cref="RemoteGate"/>, so a redirect out of the allowlist is refused before any request reaches its target, and
/// a server streaming without end is cut at the byte budget instead of filling memory (finding 4: GDAL buffered
/// gigabytes of it for its 60 s timeout).</summary>
[Collection(nameof(GdalNetworkCollection))]
public sealed class RemoteGateTests : IDisposable
{
    readonly ScratchFolder scratch = new();
    readonly List<string> warnings = [];
    readonly RangeHttpServer server;

    public RemoteGateTests()
    {
        var folder = scratch.File("served");
        Directory.CreateDirectory(folder);
        Copies.Copy(SharedScenes.LandsatRgbnir, Path.Combine(folder, "scene.tif"));
        server = new RangeHttpServer(folder);
    }

    public void Dispose()
    {
        GdalNetwork.Configure(InputPolicy.Unrestricted, RemoteGate.DefaultMaxBytesPerConnection);
        server.Dispose();
        scratch.Dispose();
    }

    void Gate(InputPolicy policy, long budget = RemoteGate.DefaultMaxBytesPerConnection) =>
        GdalNetwork.Configure(policy, budget, message => { lock (warnings) warnings.Add(message); });

    static InputPolicy Local(params string[] hosts) => new(hosts, AllowHttp: true, AllowPrivateAddresses: true);

    [Fact]
    public void A_redirect_to_a_host_not_listed_is_refused_and_its_target_never_requested()
    {
        var moved = $"http://localhost:{server.Port}/moved.tif";
        server.Redirects["moved.tif"] = server.Url("scene.tif");

        // Both names listed: GDAL follows the redirect, as it would to any host without the gate.
        Gate(Local("localhost", "127.0.0.1"));
        using (var reader = RasterReaders.Open(moved, Local("localhost", "127.0.0.1")))
            Assert.Equal((627, 603), (reader.Info.Width, reader.Info.Height));
        Assert.Contains("scene.tif", server.Requested);

        // Only the first listed: the path passes its check, the redirect's connection does not. (Another name: GDAL
        // keeps what it learnt of a URL for the process.)
        moved = $"http://localhost:{server.Port}/moved-again.tif";
        server.Redirects["moved-again.tif"] = server.Url("scene.tif");
        server.Requested.Clear();
        Gate(Local("localhost"));
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(moved, Local("localhost")));
        Assert.StartsWith(moved + ": ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("moved-again.tif", server.Requested);
        Assert.DoesNotContain("scene.tif", server.Requested);
        Assert.Contains(warnings, w => w.StartsWith($"remote read refused: http://127.0.0.1:{server.Port}: host 127.0.0.1 is not in Pipeline:Inputs:AllowedHosts (localhost)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_server_that_streams_without_end_is_cut_at_the_byte_budget()
    {
        server.Endless.Add("endless.tif");
        const long budget = 16 << 20;
        Gate(Local("127.0.0.1"), budget);
        // The high-water mark starts again from the current resident size (Linux: clear_refs 5), so earlier tests' peaks do not hide this one's.
        File.WriteAllText("/proc/self/clear_refs", "5");
        var peakBefore = PeakResident();
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(server.Url("endless.tif"), Local("127.0.0.1")));

        Assert.StartsWith(server.Url("endless.tif") + ": ", error.Message);
        Assert.Contains(warnings, w => w == $"remote read cut: 127.0.0.1:{server.Port} sent more than {budget:N0} bytes on one connection (Pipeline:Inputs:MaxBytesPerConnection)");
        Assert.InRange(PeakResident() - peakBefore, 0, 512L << 20);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(50));
    }

    [Fact]
    public async Task The_gate_checks_the_address_it_connects_to_whatever_the_path_check_said()
    {
        Gate(new InputPolicy(["localhost"], AllowHttp: true));
        using var client = new HttpClient(new HttpClientHandler { Proxy = new WebProxy($"http://{GdalNetwork.Gate.Address}"), UseProxy = true });

        using var response = await client.GetAsync($"http://localhost:{server.Port}/scene.tif");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Matches("^host localhost is at (127.0.0.1|::1), a loopback address", await response.Content.ReadAsStringAsync());
        Assert.Empty(server.Requested);
    }

    static long PeakResident()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
