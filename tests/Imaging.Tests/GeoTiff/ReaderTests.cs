using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

public sealed class ReaderTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Theory]
    [MemberData(nameof(SharedScenes.All), MemberType = typeof(SharedScenes))]
    public void Every_real_scene_decodes_like_gdal(string name)
    {
        var path = SharedScenes.Path(name);
        using var reader = GeoTiffReader.Open(path);
        var info = reader.Info;
        var ours = RasterFiles.ReadAll(reader);
        var gdal = Gdal.Decode(path, info.SampleType);
        Assert.Equal(gdal.Length, ours.Length);
        if (path == SharedScenes.DroneJpeg)
        {
            // Two JPEG decoders (LibJpeg.NET vs libjpeg-turbo) differ by rounding in IDCT and chroma upsampling.
            var meanError = gdal.Zip(ours, (g, o) => Math.Abs(g - o)).Average();
            Assert.True(meanError < 1.5, $"mean absolute difference {meanError}");
            return;
        }
        Assert.Null(RasterFiles.FirstDifference(gdal, ours));
    }

    [Theory]
    [InlineData("tiled256-deflate", new[] { "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2" })]
    [InlineData("tiled128-lzw-planar", new[] { "-co", "TILED=YES", "-co", "BLOCKXSIZE=128", "-co", "BLOCKYSIZE=128", "-co", "COMPRESS=LZW", "-co", "INTERLEAVE=BAND" })]
    [InlineData("strips-of-one-row", new[] { "-co", "BLOCKYSIZE=1", "-co", "COMPRESS=PACKBITS" })]
    [InlineData("strips-planar-deflate", new[] { "-co", "BLOCKYSIZE=7", "-co", "COMPRESS=DEFLATE", "-co", "INTERLEAVE=BAND" })]
    [InlineData("single-strip-deflate", new[] { "-co", "BLOCKYSIZE=603", "-co", "COMPRESS=DEFLATE" })]
    [InlineData("single-strip-raw", new[] { "-co", "BLOCKYSIZE=603" })]
    [InlineData("int16", new[] { "-ot", "Int16", "-scale", "0", "65535", "-32768", "32767", "-co", "TILED=YES", "-co", "COMPRESS=LZW", "-co", "PREDICTOR=2" })]
    [InlineData("float32", new[] { "-ot", "Float32", "-scale", "0", "65535", "-1", "1", "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=3" })]
    public void Windowed_reads_of_a_layout_equal_gdal_decoding(string variant, string[] options)
    {
        var path = Gdal.Translate(SharedScenes.LandsatRgbnir, scratch.File(variant + ".tif"), options);
        using var reader = GeoTiffReader.Open(path);
        var info = reader.Info;
        var reference = Gdal.Decode(path, info.SampleType);
        foreach (var window in RasterFiles.RandomWindows(info.Width, info.Height, 15, seed: variant.Length))
        {
            var expected = RasterFiles.Crop(reference, info.Width, info.Height, info.Bands, window);
            Assert.Equal((window, (string?)null), (window, RasterFiles.FirstDifference(expected, reader.Read(window).Data)));
        }
    }

    [Theory]
    [InlineData("chunky", "PIXEL")]
    [InlineData("planar", "BAND")]
    public void A_large_single_compressed_strip_is_read_by_scanline(string variant, string interleave)
    {
        // 967×973×6 uint16 in one Deflate strip: 11 MB decoded, above the decoder's whole-strip limit.
        var path = Gdal.Translate(SharedScenes.Sentinel2, scratch.File(variant + ".tif"), "-co", "BLOCKYSIZE=973", "-co", "COMPRESS=DEFLATE", "-co", $"INTERLEAVE={interleave}");
        using var reader = GeoTiffReader.Open(path);
        var info = reader.Info;
        var reference = Gdal.Decode(path, info.SampleType);
        foreach (var window in RasterFiles.RandomWindows(info.Width, info.Height, 6, seed: 11))
        {
            var expected = RasterFiles.Crop(reference, info.Width, info.Height, info.Bands, window);
            Assert.Equal((window, (string?)null), (window, RasterFiles.FirstDifference(expected, reader.Read(window).Data)));
        }
    }

    [Theory]
    [InlineData("jpeg-ycbcr-tiled", new[] { "-co", "TILED=YES", "-co", "COMPRESS=JPEG", "-co", "PHOTOMETRIC=YCBCR" })]
    [InlineData("jpeg-rgb-strips", new[] { "-co", "COMPRESS=JPEG", "-co", "BLOCKYSIZE=32" })]
    public void Windowed_jpeg_reads_equal_the_full_read_and_approximate_gdal(string variant, string[] options)
    {
        var path = Gdal.Translate(SharedScenes.NeonRgb, scratch.File(variant + ".tif"), options);
        using var reader = GeoTiffReader.Open(path);
        var info = reader.Info;
        Assert.True(info.IsRgb);
        var full = reader.Read(new PixelWindow(0, 0, info.Width, info.Height)).Data;
        var gdal = Gdal.Decode(path, info.SampleType);
        Assert.True(gdal.Zip(full, (g, o) => Math.Abs(g - o)).Average() < 1.5);
        foreach (var window in RasterFiles.RandomWindows(info.Width, info.Height, 20, seed: 7))
        {
            var expected = RasterFiles.Crop(full, info.Width, info.Height, info.Bands, window);
            Assert.Equal((window, (string?)null), (window, RasterFiles.FirstDifference(expected, reader.Read(window).Data)));
        }
    }

    [Fact]
    public void Description_of_a_multiband_scene_matches_gdalinfo()
    {
        using var reader = GeoTiffReader.Open(SharedScenes.Sentinel2);
        var info = reader.Info;
        Assert.Equal((967, 973, 6, RasterSampleType.UInt16), (info.Width, info.Height, info.Bands, info.SampleType));
        Assert.Equal(["B05", "B06", "B07", "B8A", "B11", "B12"], info.BandDescriptions);
        Assert.False(info.IsRgb);
        Assert.Null(info.NoData);
        Assert.Equal([435720.0, 20, 0, 4179460, 0, -20], info.Geo!.GeoTransform!);
        Assert.False(info.Geo.IsPixelIsPoint);
    }

    [Fact]
    public void Rgb_scene_is_rgb_and_has_its_nodata()
    {
        using var reader = GeoTiffReader.Open(SharedScenes.Landsat7);
        Assert.True(reader.Info.IsRgb);
        Assert.Equal(0, reader.Info.NoData);
    }

    [Fact]
    public void Windows_outside_the_image_are_rejected()
    {
        using var reader = GeoTiffReader.Open(SharedScenes.LandsatRgbnir);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Read(new PixelWindow(600, 0, 28, 10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Read(new PixelWindow(-1, 0, 10, 10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Read(new PixelWindow(0, 0, 0, 10)));
    }
}
