using System.Text.Json.Nodes;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Stac;
using Pipeline.Imaging.Tests.GdalIO;
using Pipeline.Imaging.Tests.GeoTiff;

namespace Pipeline.Imaging.Tests.Stac;

/// <summary>Issue 31: a STAC item on a server, its assets' hrefs relative to it, read through GDAL under the input
/// policy: each asset is an input of its own, so an asset on a host the policy does not list is refused even when the
/// item's host is listed.</summary>
public sealed class StacItemReaderTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    static JsonObject Item(params (string Key, string Href)[] assets) => new()
    {
        ["type"] = "Feature", ["stac_version"] = "1.0.0", ["id"] = "remote", ["geometry"] = null,
        ["properties"] = new JsonObject { ["datetime"] = "2020-01-01T00:00:00Z" }, ["links"] = new JsonArray(),
        ["assets"] = new JsonObject(assets.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)new JsonObject
        {
            ["href"] = a.Href, ["roles"] = new JsonArray("data"), ["raster:bands"] = new JsonArray(new JsonObject { ["nodata"] = 0 }),
        }))),
    };

    [Fact]
    public void A_remote_items_relative_assets_are_read_and_an_asset_on_an_unlisted_host_is_refused()
    {
        var served = scratch.File("served");
        Directory.CreateDirectory(served);
        Copies.Copy(SharedScenes.LandsatRgbnir, Path.Combine(served, "scene.tif"));
        using var server = new RangeHttpServer(served);
        File.WriteAllText(Path.Combine(served, "item.json"), Item(("data", "./scene.tif")).ToJsonString());
        File.WriteAllText(Path.Combine(served, "elsewhere.json"), Item(("data", $"http://localhost:{server.Port}/scene.tif")).ToJsonString());
        var policy = new InputPolicy(["127.0.0.1"], AllowHttp: true, AllowPrivateAddresses: true);

        using (var reader = RasterReaders.Open(StacScenePath.Format(server.Url("item.json"), null, []), policy))
        using (var direct = GeoTiffReader.Open(SharedScenes.LandsatRgbnir))
        {
            Assert.Equal((627, 603, 4, 0.0), (reader.Info.Width, reader.Info.Height, reader.Info.Bands, reader.Info.NoData));
            var window = new PixelWindow(100, 200, 64, 48);
            Assert.Equal(direct.Read(window).Data, reader.Read(window).Data);
        }

        var servedBefore = server.Requested.Count(name => name == "scene.tif");
        var path = StacScenePath.Format(server.Url("elsewhere.json"), null, []);
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(path, policy));
        Assert.Equal($"{path}: asset 'data': http://localhost:{server.Port}/scene.tif: host localhost is not in Pipeline:Inputs:AllowedHosts (127.0.0.1)", error.Message);
        Assert.Equal(servedBefore, server.Requested.Count(name => name == "scene.tif"));
    }
}
