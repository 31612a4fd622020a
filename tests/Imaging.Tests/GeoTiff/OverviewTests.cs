using System.Text.Json;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

public sealed class OverviewTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Gdal_lists_halved_levels_until_one_fits_a_tile()
    {
        var output = Copies.Copy(SharedScenes.LandsatRgbnir, scratch.File("overviews.tif"));
        Assert.Equal(["314x302", "157x151"], OverviewSizes(Gdal.Info(output)));
    }

    [Fact]
    public void Larger_tiles_need_fewer_levels_and_small_images_none()
    {
        var big = Copies.Copy(SharedScenes.LandsatRgbnir, scratch.File("tiles512.tif"), new GeoTiffWriteOptions { TileSize = 512 });
        Assert.Equal(["314x302"], OverviewSizes(Gdal.Info(big)));
        var small = Copies.Generate(new RasterInfo { Width = 256, Height = 100, Bands = 1, SampleType = RasterSampleType.Byte }, scratch.File("small.tif"), (_, x, _) => x);
        Assert.Empty(OverviewSizes(Gdal.Info(small)));
    }

    [Fact]
    public void Each_level_averages_two_by_two_pixels_of_the_previous_one()
    {
        var output = Copies.Copy(SharedScenes.LandsatRgbnir, scratch.File("averaged.tif"));
        var level = Gdal.Decode(output, RasterSampleType.UInt16);
        var (width, height) = (627, 603);
        for (var overview = 0; overview < 2; overview++)
        {
            var expected = Halve(level, width, height, 4, noData: null);
            (width, height) = ((width + 1) / 2, (height + 1) / 2);
            level = Gdal.Decode(output, RasterSampleType.UInt16, "-oo", $"OVERVIEW_LEVEL={overview}");
            Assert.Null(RasterFiles.FirstDifference(expected, level));
        }
    }

    [Fact]
    public void Nodata_pixels_are_left_out_of_averages()
    {
        var output = Copies.Copy(SharedScenes.Landsat7, scratch.File("nodata.tif"));
        var full = Gdal.Decode(output, RasterSampleType.Byte);
        var overview = Gdal.Decode(output, RasterSampleType.Byte, "-oo", "OVERVIEW_LEVEL=0");
        Assert.Null(RasterFiles.FirstDifference(Halve(full, 791, 718, 3, noData: 0), overview));
    }

    /// <summary>The reference: mean of the 2×2 block (edge pixels repeat), nodata excluded, rounded half up.</summary>
    static float[] Halve(float[] image, int width, int height, int bands, float? noData)
    {
        int halfWidth = (width + 1) / 2, halfHeight = (height + 1) / 2;
        var result = new float[bands * halfWidth * halfHeight];
        for (var band = 0; band < bands; band++)
            for (var y = 0; y < halfHeight; y++)
                for (var x = 0; x < halfWidth; x++)
                {
                    var values = new[] { (2 * x, 2 * y), (2 * x + 1, 2 * y), (2 * x, 2 * y + 1), (2 * x + 1, 2 * y + 1) }
                        .Select(p => image[(band * height + Math.Min(p.Item2, height - 1)) * width + Math.Min(p.Item1, width - 1)])
                        .Where(v => v != noData)
                        .ToArray();
                    result[(band * halfHeight + y) * halfWidth + x] = values.Length == 0 ? noData!.Value : (float)Math.Floor(values.Average() + 0.5);
                }
        return result;
    }

    static string[] OverviewSizes(JsonElement info)
    {
        var band = info.GetProperty("bands")[0];
        return band.TryGetProperty("overviews", out var overviews)
            ? overviews.EnumerateArray().Select(o => $"{o.GetProperty("size")[0]}x{o.GetProperty("size")[1]}").ToArray()
            : [];
    }
}
