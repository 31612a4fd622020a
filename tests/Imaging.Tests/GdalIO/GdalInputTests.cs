using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tests.GeoTiff;

namespace Pipeline.Imaging.Tests.GdalIO;

/// <summary>Formats LibTiff.NET cannot read go through the machine's GDAL: each is made from a real scene with
/// gdal_translate and must read as the same pixels and georeferencing, and upscale to the same output.</summary>
public sealed class GdalInputTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    static string Source => SharedScenes.LandsatRgbnir;

    string Made(string name, params string[] options) => Gdal.Translate(Source, scratch.File(name), options);

    public static TheoryData<string, string[]> Formats => new()
    {
        { "scene.jp2", ["-of", "JP2OpenJPEG", "-co", "REVERSIBLE=YES", "-co", "QUALITY=100"] }, // Sentinel-2's format, lossless
        { "scene-zstd.tif", ["-co", "COMPRESS=ZSTD", "-co", "TILED=YES"] },
        { "scene-lerc.tif", ["-co", "COMPRESS=LERC", "-co", "MAX_Z_ERROR=0"] },
        { "scene.vrt", ["-of", "VRT"] },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_scene_in_another_format_reads_as_the_same_pixels_and_georeferencing(string name, string[] options)
    {
        var path = Made(name, options);

        using var reader = RasterReaders.Open(path);
        using var tiff = GeoTiffReader.Open(Source);

        Assert.IsType<GdalReader>(reader);
        Assert.Equal((tiff.Info.Width, tiff.Info.Height, tiff.Info.Bands, tiff.Info.SampleType),
            (reader.Info.Width, reader.Info.Height, reader.Info.Bands, reader.Info.SampleType));
        Assert.Equal(tiff.Info.Geo!.GeoTransform, reader.Info.Geo!.GeoTransform);
        Assert.Null(RasterFiles.FirstDifference(RasterFiles.ReadAll(tiff), RasterFiles.ReadAll(reader)));
    }

    [Fact]
    public void A_jpeg2000_scene_upscales_to_the_same_output_as_its_tiff_with_the_same_crs()
    {
        var jp2 = Made("scene.jp2", "-of", "JP2OpenJPEG", "-co", "REVERSIBLE=YES", "-co", "QUALITY=100");
        var (fromJp2, fromTiff) = (scratch.File("from-jp2.tif"), scratch.File("from-tiff.tif"));

        SceneUpscaleJob.Run(jp2, fromJp2, 2, new BicubicUpscaler(), new SceneUpscaleOptions());
        SceneUpscaleJob.Run(Source, fromTiff, 2, new BicubicUpscaler(), new SceneUpscaleOptions());

        Assert.Null(RasterFiles.FirstDifference(RasterFiles.ReadAll(fromTiff), RasterFiles.ReadAll(fromJp2)));
        var (a, b) = (Gdal.Info(fromTiff), Gdal.Info(fromJp2));
        Assert.Equal(a.GetProperty("geoTransform").ToString(), b.GetProperty("geoTransform").ToString());
        Assert.Equal(a.GetProperty("coordinateSystem").GetProperty("wkt").GetString(), b.GetProperty("coordinateSystem").GetProperty("wkt").GetString());
    }

    [Fact]
    public void A_remote_cog_over_http_is_read_in_ranges_and_upscales_like_the_local_file()
    {
        var folder = scratch.File("served");
        Directory.CreateDirectory(folder);
        Copies.Copy(Source, Path.Combine(folder, "scene.tif"));
        using var server = new RangeHttpServer(folder);
        var (remote, local) = (scratch.File("remote.tif"), scratch.File("local.tif"));

        SceneUpscaleJob.Run(server.Url("scene.tif"), remote, 2, new BicubicUpscaler(), new SceneUpscaleOptions());
        SceneUpscaleJob.Run(Source, local, 2, new BicubicUpscaler(), new SceneUpscaleOptions());

        Assert.Null(RasterFiles.FirstDifference(RasterFiles.ReadAll(local), RasterFiles.ReadAll(remote)));
        Assert.True(server.RangeRequests > 1, $"{server.RangeRequests} ranged requests");
        var (a, b) = (Gdal.Info(local), Gdal.Info(remote));
        Assert.Equal(a.GetProperty("geoTransform").ToString(), b.GetProperty("geoTransform").ToString());
        Assert.Equal(a.GetProperty("coordinateSystem").GetProperty("wkt").GetString(), b.GetProperty("coordinateSystem").GetProperty("wkt").GetString());
    }

    [Fact]
    public void A_netcdf_subdataset_named_the_gdal_way_reads_and_a_file_of_several_says_how_to_name_one()
    {
        var netcdf = Made("scene.nc", "-of", "netCDF");

        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(netcdf));
        Assert.Equal($"{netcdf}: holds 4 subdatasets, not one raster; name one, e.g. NETCDF:\"{netcdf}\":Band1", error.Message);

        using var band = RasterReaders.Open($"NETCDF:\"{netcdf}\":Band3");
        using var tiff = GeoTiffReader.Open(Source);
        Assert.Equal(1, band.Info.Bands);
        var window = new PixelWindow(100, 50, 64, 48);
        Assert.Equal(tiff.Read(window).Band(2).ToArray(), band.Read(window).Band(0).ToArray());
    }

    [Fact]
    public void Band_descriptions_and_nodata_are_carried_and_unsupported_types_refused_in_one_line()
    {
        var vrt = Made("described.vrt", "-of", "VRT", "-a_nodata", "0");
        var output = scratch.File("described-x2.tif");

        SceneUpscaleJob.Run(vrt, output, 2, new BicubicUpscaler(), new SceneUpscaleOptions());

        var bands = Gdal.Info(output).GetProperty("bands").EnumerateArray().ToList();
        Assert.Equal(["B4_red", "B3_green", "B2_blue", "B5_nir"], bands.Select(b => b.GetProperty("description").GetString()));
        Assert.All(bands, b => Assert.Equal(0, b.GetProperty("noDataValue").GetDouble()));

        var float64 = Made("float64.vrt", "-of", "VRT", "-ot", "Float64");
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(float64));
        Assert.Equal($"{float64}: unsupported sample type float64 (uint8, uint16, int16 and float32 are supported)", error.Message);
    }
}
