using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

public sealed class GeoreferenceTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Theory]
    [InlineData(2.0, false, false)]
    [InlineData(3.5, false, false)]
    [InlineData(2.37, false, false)]
    [InlineData(2.0, true, false)]
    [InlineData(3.5, true, false)]
    [InlineData(2.37, true, false)]
    [InlineData(2.0, false, true)]
    [InlineData(2.37, false, true)]
    [InlineData(3.5, true, true)]
    [InlineData(2.37, true, true)]
    public void Scaled_output_keeps_crs_and_corner_with_smaller_pixels(double scale, bool pixelIsPoint, bool rotated)
    {
        var input = MakeInput(pixelIsPoint, rotated);
        var inputInfo = Gdal.Info(input);
        using var reader = GeoTiffReader.Open(input);
        var expectedTransform = GeoTransform(inputInfo);
        Assert.Equal(pixelIsPoint, reader.Info.Geo!.IsPixelIsPoint);
        AssertClose(expectedTransform, reader.Info.Geo.GeoTransform!);

        var hr = reader.Info.ScaledBy(scale);
        var output = Copies.Generate(hr, scratch.File("hr.tif"), (b, x, y) => b + x + y, new GeoTiffWriteOptions { BuildOverviews = false });
        var outputInfo = Gdal.Info(output);

        Assert.Equal([(int)Math.Floor(200 * scale), (int)Math.Floor(150 * scale)], outputInfo.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()));
        double[] scaledTransform =
        [
            expectedTransform[0], expectedTransform[1] / scale, expectedTransform[2] / scale,
            expectedTransform[3], expectedTransform[4] / scale, expectedTransform[5] / scale,
        ];
        AssertClose(scaledTransform, GeoTransform(outputInfo));
        Assert.Equal(inputInfo.GetProperty("coordinateSystem").GetProperty("wkt").GetString(), outputInfo.GetProperty("coordinateSystem").GetProperty("wkt").GetString());
        Assert.Equal(pixelIsPoint ? "Point" : "Area", outputInfo.GetProperty("metadata").GetProperty("").GetProperty("AREA_OR_POINT").GetString());
        var bands = outputInfo.GetProperty("bands").EnumerateArray().ToArray();
        Assert.Equal(["B4_red", "B3_green", "B2_blue", "B5_nir"], bands.Select(b => b.GetProperty("description").GetString()));
        Assert.All(bands, band => Assert.Equal("UInt16", band.GetProperty("type").GetString()));
    }

    [Fact]
    public void Output_size_is_the_floor_of_the_scaled_size()
    {
        var info = new RasterInfo { Width = 627, Height = 100, Bands = 1, SampleType = RasterSampleType.Byte };
        // 627 × 2.37 = 1485.99 (floor 1485); 100 × 2.37 is 236.99999999999997 in doubles but 237 exactly.
        Assert.Equal((1485, 237), (info.ScaledBy(2.37).Width, info.ScaledBy(2.37).Height));
        Assert.Equal((2194, 350), (info.ScaledBy(3.5).Width, info.ScaledBy(3.5).Height));
        Assert.Throws<ArgumentOutOfRangeException>(() => info.ScaledBy(0));
    }

    /// <summary>A 200×150 crop of a real scene; PixelIsPoint and/or a rotated geotransform (stored as ModelTransformation) on request.</summary>
    string MakeInput(bool pixelIsPoint, bool rotated)
    {
        var crop = Gdal.Translate(SharedScenes.LandsatRgbnir, scratch.File("crop.vrt"), "-of", "VRT", "-srcwin", "100", "100", "200", "150");
        if (rotated)
        {
            var vrt = File.ReadAllText(crop);
            File.WriteAllText(crop, Regex.Replace(vrt, "<GeoTransform>.*</GeoTransform>", "<GeoTransform>455475, 25.98, 15, 3405645, 15, -25.98</GeoTransform>"));
        }
        return Gdal.Translate(crop, scratch.File("input.tif"), "-mo", pixelIsPoint ? "AREA_OR_POINT=Point" : "AREA_OR_POINT=Area");
    }

    static double[] GeoTransform(JsonElement info) =>
        info.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()).ToArray();

    static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9 * Math.Max(1, Math.Abs(expected[i])),
                $"coefficient {i}: {actual[i]:R}, expected {expected[i]:R} (all: {string.Join(", ", actual)})");
    }
}
