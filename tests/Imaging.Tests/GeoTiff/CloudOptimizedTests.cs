using System.Diagnostics;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

/// <summary>Outputs with overviews are Cloud-Optimized GeoTIFFs, as GDAL's own validator judges them.</summary>
public sealed class CloudOptimizedTests : IDisposable
{
    const string Validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py";

    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    /// <summary>Runs GDAL's validator with its full check (tiles in row-major order too): exit code and output.</summary>
    internal static (int ExitCode, string Output) Validate(string path)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", [Validator, "--full-check=yes", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    internal static void AssertValid(string path)
    {
        var (exitCode, output) = Validate(path);
        Assert.True(exitCode == 0 && output.Contains("is a valid cloud optimized GeoTIFF"), output);
        Assert.DoesNotContain("Warning", output);
    }

    public static TheoryData<string> Scenes => new(
        "neon_BART_2019_rgb_10cm_1213x1106.tif",             // uint8 RGB
        "landsat8_UTM16N_30m_RGBNIR_627x603.tif",            // uint16, four bands
        "sentinel2_T18SVG_20160112_L1C_20m_6band_967x973.tif", // uint16, six bands
        "extra/landsat7_RGB.byte_791x718.tif");              // nodata 0

    [Theory]
    [MemberData(nameof(Scenes))]
    public void Copies_of_real_scenes_are_valid_cogs_with_the_same_pixels(string scene)
    {
        var output = Copies.Copy(SharedScenes.Path(scene), scratch.File("copy.tif"), shuffleSeed: 3);

        AssertValid(output);
        Assert.Null(RasterFiles.FirstDifference(RasterFiles.ReadAll(SharedScenes.Path(scene)), RasterFiles.ReadAll(output)));
        Assert.Empty(Directory.GetFiles(scratch.Root, "*partial*"));
    }

    [Fact]
    public void A_band_interleaved_bigtiff_with_float_samples_is_a_valid_cog()
    {
        var info = new RasterInfo { Width = 700, Height = 530, Bands = 20, SampleType = RasterSampleType.Float32, NoData = -1 };
        var output = Copies.Generate(info, scratch.File("cube.tif"), (band, x, y) => (x + y) % 97 == 0 ? -1 : band * 0.5f + x * 0.01f - y * 0.02f,
            new GeoTiffWriteOptions { ForceBigTiff = true });

        AssertValid(output);
        Assert.Equal("II+", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(output), 0, 3).Replace('\0', '+'));
        var pixels = Gdal.Decode(output, RasterSampleType.Float32, "-b", "20");
        Assert.Equal(19 * 0.5f + 699 * 0.01f - 529 * 0.02f, pixels[^1]);
    }

    [Fact]
    public void An_image_of_one_tile_is_a_valid_cog_and_no_overviews_gives_the_same_layout_without_them()
    {
        var info = new RasterInfo { Width = 200, Height = 100, Bands = 1, SampleType = RasterSampleType.UInt16 };
        AssertValid(Copies.Generate(info, scratch.File("small.tif"), (_, x, y) => x * y));

        var large = info with { Width = 1100, Height = 600 };
        var plain = Copies.Generate(large, scratch.File("plain.tif"), (_, x, y) => x + y, new GeoTiffWriteOptions { BuildOverviews = false });
        var (exitCode, output) = Validate(plain);
        Assert.Equal(0, exitCode);
        Assert.Contains("recommended to include internal overviews", output);
    }

    [Fact]
    public void Upscaled_outputs_drop_the_inputs_pixel_statistics_and_keep_the_rest_of_its_metadata()
    {
        var input = SharedScenes.Landsat7;
        Assert.Contains("STATISTICS_MEAN", Gdal.Run("gdalinfo", input));
        var output = scratch.File("landsat7-x2.tif");

        SceneUpscaleJob.Run(input, output, 2, new BicubicUpscaler(), new SceneUpscaleOptions());

        var info = Gdal.Run("gdalinfo", output);
        Assert.DoesNotContain("STATISTICS_", info);
        Assert.Contains("NoData Value=0", info);
        Assert.Contains("ColorInterp=Red", info);
        AssertValid(output);
    }

    [Fact]
    public void Scaling_removes_statistics_items_and_keeps_other_items_verbatim()
    {
        const string xml = "<GDALMetadata><Item name=\"STATISTICS_MEAN\" sample=\"0\">29.9</Item>" +
                           "<Item name=\"DESCRIPTION\" sample=\"0\" role=\"description\">Red</Item></GDALMetadata>";

        static string? Scaled(string? metadata) =>
            new RasterInfo { Width = 10, Height = 10, Bands = 1, SampleType = RasterSampleType.Byte, GdalMetadataXml = metadata }.ScaledBy(2).GdalMetadataXml;

        Assert.Equal("<GDALMetadata><Item name=\"DESCRIPTION\" sample=\"0\" role=\"description\">Red</Item></GDALMetadata>", Scaled(xml));
        Assert.Null(Scaled("<GDALMetadata><Item name=\"STATISTICS_MAXIMUM\" sample=\"1\">9</Item></GDALMetadata>"));
        Assert.Equal("<broken", Scaled("<broken"));
        Assert.Null(Scaled(null));
    }
}
