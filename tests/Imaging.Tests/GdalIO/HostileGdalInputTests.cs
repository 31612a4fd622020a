using System.Net;
using System.Net.Sockets;
using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tests.GeoTiff;

namespace Pipeline.Imaging.Tests.GdalIO;

/// <summary>GDAL opened for untrusted input: GDAL paths and VRTs that reach process memory, arbitrary files or other
/// hosts are refused in one line before GDAL touches them, and the inputs the README promises still open.</summary>
public sealed class HostileGdalInputTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_memory_driver_path_is_refused_instead_of_reading_process_memory()
    {
        const string path = "MEM:::DATAPOINTER=0x10,PIXELS=100,LINES=100,BANDS=1,DATATYPE=Byte";
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(path));
        Assert.StartsWith(path + ": GDAL cannot open it as GTiff, JP2OpenJPEG", error.Message);
    }

    [Fact]
    public void A_VRT_band_over_raw_file_bytes_is_refused()
    {
        var vrt = Write("passwd.vrt", """
            <VRTDataset rasterXSize="16" rasterYSize="4">
              <VRTRasterBand dataType="Byte" band="1" subClass="VRTRawRasterBand">
                <SourceFilename relativetoVRT="0">/etc/passwd</SourceFilename>
                <ImageOffset>0</ImageOffset><PixelOffset>1</PixelOffset><LineOffset>16</LineOffset>
              </VRTRasterBand>
            </VRTDataset>
            """);
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(vrt));
        Assert.Equal($"{vrt}: a VRT band that reads raw file bytes (VRTRawRasterBand) is not allowed", error.Message);
    }

    [Theory]
    [InlineData("MEM:::DATAPOINTER=0x10,PIXELS=4,LINES=4,BANDS=1,DATATYPE=Byte", "is not a local file")]
    [InlineData("/proc/self/environ", "is in a system folder")]
    [InlineData("/vsimem/x.tif", "is not a local file")]
    public void A_VRT_source_that_is_not_a_plain_local_input_is_refused(string source, string problem)
    {
        var vrt = Write("source.vrt", SimpleSourceVrt(source));
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(vrt));
        Assert.StartsWith($"{vrt}: VRT source '{source}'", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_VRT_source_on_another_host_is_refused_without_any_request()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var url = $"/vsicurl/http://127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}/x.tif?secret=1";
        var vrt = Write("ssrf.vrt", SimpleSourceVrt(url));

        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(vrt));
        Assert.Contains("is not a local file", error.Message);
        Assert.False(server.Pending(), "the job connected to the VRT's host");
    }

    [Fact]
    public void A_VRT_that_refers_to_itself_is_refused_and_a_VRT_of_a_local_scene_still_opens()
    {
        var loop = scratch.File("loop.vrt");
        File.WriteAllText(loop, SimpleSourceVrt(loop));
        Assert.Contains("refers back to itself", Assert.Throws<RasterFormatException>(() => RasterReaders.Open(loop)).Message);

        var nested = Write("nested.vrt", SimpleSourceVrt(Write("scene.vrt", SimpleSourceVrt(SharedScenes.LandsatRgbnir))));
        using var reader = RasterReaders.Open(nested);
        Assert.IsType<GdalReader>(reader);
        Assert.Equal((627, 603), (reader.Info.Width, reader.Info.Height));
    }

    /// <summary>Finding 5 of issue 30: a few hundred bytes declaring a vast raster over a small file.</summary>
    [Theory]
    [InlineData(100000, 100000, "declares 100000x100000 pixels, but its sources cover 10,000 of them")]
    [InlineData(1000000000, 1, "declares 1000000000x1 pixels, but its sources cover 10,000 of them")]
    public void A_VRT_declaring_a_vast_raster_over_a_small_source_is_refused(long width, long height, string problem)
    {
        var vrt = Write("vast.vrt", $"""
            <VRTDataset rasterXSize="{width}" rasterYSize="{height}">
              <VRTRasterBand dataType="UInt16" band="1">
                <SimpleSource>
                  <SourceFilename relativeToVRT="0">{SharedScenes.LandsatRgbnir}</SourceFilename>
                  <SourceBand>1</SourceBand>
                  <SrcRect xOff="0" yOff="0" xSize="100" ySize="100" />
                  <DstRect xOff="0" yOff="0" xSize="100" ySize="100" />
                </SimpleSource>
              </VRTRasterBand>
            </VRTDataset>
            """);
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(vrt));
        Assert.Equal($"{vrt}: VRT vast.vrt {problem} (beyond 16,777,216 pixels, sources must cover at least 1/16 of a VRT; a source without a DstRect counts as 16,777,216)", error.Message);
    }

    /// <summary>Found by the GDAL fuzz suite: without a DstRect a source used to count as covering the whole declared
    /// raster, so 100000 × 100000 over a 64 × 48 file was admitted and ran for hours.</summary>
    [Fact]
    public void A_vast_VRT_whose_source_has_no_destination_rectangle_is_refused()
    {
        var vrt = Write("stretched.vrt", SimpleSourceVrt(SharedScenes.LandsatRgbnir).Replace("rasterXSize=\"627\" rasterYSize=\"603\"", "rasterXSize=\"100000\" rasterYSize=\"100000\""));
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(vrt));
        Assert.Contains("declares 100000x100000 pixels, but its sources cover 16,777,216 of them", error.Message);
    }

    string Write(string name, string text)
    {
        var path = scratch.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    static string SimpleSourceVrt(string source) => $"""
        <VRTDataset rasterXSize="627" rasterYSize="603">
          <VRTRasterBand dataType="UInt16" band="1">
            <SimpleSource>
              <SourceFilename relativeToVRT="0">{source}</SourceFilename>
              <SourceBand>1</SourceBand>
            </SimpleSource>
          </VRTRasterBand>
        </VRTDataset>
        """;
}
