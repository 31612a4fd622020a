using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

public sealed class BigTiffTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Uncompressed_size_counts_whole_edge_tiles_and_overview_levels()
    {
        var info = Info(300, 200, 2, RasterSampleType.UInt16);
        const long tile = 256 * 256 * 2 * 2;
        Assert.Equal(2 * tile, BigTiffRule.UncompressedBytes(info, 256, withOverviews: false));
        // One overview level of 150×100: a single tile.
        Assert.Equal(3 * tile, BigTiffRule.UncompressedBytes(info, 256, withOverviews: true));
    }

    [Theory]
    [InlineData(20000, 20000, 3, RasterSampleType.Byte, true, false)]
    [InlineData(40000, 40000, 3, RasterSampleType.Byte, false, true)]
    [InlineData(30000, 30000, 1, RasterSampleType.UInt16, true, false)]
    [InlineData(35000, 35000, 1, RasterSampleType.UInt16, true, true)]
    [InlineData(35000, 35000, 1, RasterSampleType.UInt16, false, false)]
    [InlineData(100000, 100000, 1, RasterSampleType.Byte, false, true)]
    public void BigTiff_is_chosen_when_the_worst_case_passes_4_GiB(int width, int height, int bands, RasterSampleType type, bool overviews, bool expected)
    {
        Assert.Equal(expected, BigTiffRule.IsNeeded(Info(width, height, bands, type), 256, overviews));
    }

    [Fact]
    public void Forced_BigTiff_opens_in_gdal_and_reads_back()
    {
        var output = Copies.Copy(SharedScenes.LandsatRgbnir, scratch.File("big.tif"), new GeoTiffWriteOptions { ForceBigTiff = true });
        using (var file = File.OpenRead(output))
        {
            var header = new byte[4];
            file.ReadExactly(header);
            Assert.Equal("II+\0"u8.ToArray(), header);
        }
        var info = Gdal.Info(output);
        Assert.Equal([627, 603], info.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Null(RasterFiles.FirstDifference(Gdal.Decode(SharedScenes.LandsatRgbnir, RasterSampleType.UInt16), Gdal.Decode(output, RasterSampleType.UInt16)));
        Assert.Null(RasterFiles.FirstDifference(RasterFiles.ReadAll(SharedScenes.LandsatRgbnir), RasterFiles.ReadAll(output)));
    }

    [Fact]
    public void Small_outputs_are_classic_tiff()
    {
        var output = Copies.Copy(SharedScenes.LandsatRgbnir, scratch.File("classic.tif"), new GeoTiffWriteOptions { BuildOverviews = false });
        using var file = File.OpenRead(output);
        var header = new byte[4];
        file.ReadExactly(header);
        Assert.Equal("II*\0"u8.ToArray(), header);
    }

    static RasterInfo Info(int width, int height, int bands, RasterSampleType type) =>
        new() { Width = width, Height = height, Bands = bands, SampleType = type };
}
