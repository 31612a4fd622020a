using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

public sealed class NoDataAndMaskTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Pixels_whose_bands_all_equal_nodata_are_invalid()
    {
        using var reader = GeoTiffReader.Open(SharedScenes.Landsat7);
        Assert.False(reader.HasMask);
        var window = new PixelWindow(0, 0, 791, 718);
        var pixels = reader.Read(window);
        var validity = reader.ReadValidity(window);
        Assert.NotNull(validity);
        var invalid = 0;
        for (var i = 0; i < validity.Length; i++)
        {
            var allZero = pixels.Data[i] == 0 && pixels.Data[validity.Length + i] == 0 && pixels.Data[2 * validity.Length + i] == 0;
            Assert.Equal(allZero ? 0 : 1, validity[i]);
            invalid += allZero ? 1 : 0;
        }
        Assert.InRange(invalid, 1000, validity.Length - 1000);
        Assert.Equal(validity, reader.ReadValidity(window, pixels));
        // The scene's centre is all data.
        Assert.Null(reader.ReadValidity(new PixelWindow(350, 300, 50, 50)));
    }

    [Fact]
    public void Files_without_nodata_or_mask_are_all_valid()
    {
        using var reader = GeoTiffReader.Open(SharedScenes.Sentinel2);
        Assert.Null(reader.ReadValidity(new PixelWindow(0, 0, 967, 973)));
    }

    [Theory]
    [InlineData("tiled", new[] { "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE" })]
    [InlineData("stripped", new[] { "-co", "BLOCKYSIZE=5" })]
    public void Internal_mask_matches_gdal(string variant, string[] options)
    {
        // Band 1 as the mask: GDAL writes it as a 1-bit internal mask IFD (0 where band 1 is 0).
        var path = Gdal.Translate(SharedScenes.Landsat7, scratch.File(variant + ".tif"),
            [.. options, "-a_nodata", "none", "-mask", "1", "--config", "GDAL_TIFF_INTERNAL_MASK", "YES"]);
        Assert.Single(Directory.GetFiles(scratch.Root));
        var gdalMask = Gdal.Decode(path, RasterSampleType.Byte, "-b", "mask,1");
        using var reader = GeoTiffReader.Open(path);
        Assert.True(reader.HasMask);
        Assert.Null(reader.Info.NoData);
        var info = reader.Info;
        foreach (var window in RasterFiles.RandomWindows(info.Width, info.Height, 15, seed: 3))
        {
            var expected = RasterFiles.Crop(gdalMask, info.Width, info.Height, 1, window).Select(v => v > 0 ? (byte)1 : (byte)0).ToArray();
            var actual = reader.ReadValidity(window) ?? Enumerable.Repeat((byte)1, (int)window.Area).ToArray();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Nodata_is_carried_over()
    {
        var output = Copies.Copy(SharedScenes.Landsat7, scratch.File("nodata.tif"));
        var bands = Gdal.Info(output).GetProperty("bands").EnumerateArray().ToArray();
        Assert.All(bands, band => Assert.Equal(0, band.GetProperty("noDataValue").GetDouble()));
        using var reader = GeoTiffReader.Open(output);
        Assert.Equal(0, reader.Info.NoData);
    }
}
