using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tests.GeoTiff;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests;

/// <summary>The whole in-process path: real scenes through windowed reads, tiles, blending and the writer.</summary>
public class SceneUpscaleJobTests
{
    static readonly SceneUpscaleOptions SmallTiles = new() { Tiling = new TilingOptions(TileSize: 96, Overlap: 16), MaxParallelTiles = 2 };

    [Theory]
    [InlineData(250)]
    [InlineData(255)]
    public void Any_legal_output_name_is_written_even_when_the_temporary_suffix_would_not_fit(int length)
    {
        using var scratch = new ScratchFolder();
        var output = scratch.File(new string('a', length - 4) + ".tif");
        var scene = TestScenes.Crop("extra/landsat7_RGB.byte_791x718.tif", 64, 48);
        SceneUpscaleJob.Run(scene, output, 2, new BicubicUpscaler(), SmallTiles);
        Assert.Equal([output], Directory.GetFiles(scratch.Root));
        Assert.StartsWith(new string('a', 200), TemporaryNames.Pattern(output));
    }

    [Theory]
    [InlineData("landsat8_UTM16N_30m_RGBNIR_627x603.tif", 2.0)]
    [InlineData("extra/landsat7_RGB.byte_791x718.tif", 3.5)]
    public void Mosaic_of_a_real_scene_equals_whole_image_bicubic(string scene, double scale)
    {
        using var scratch = new ScratchFolder();
        var output = scratch.File("out.tif");
        var result = SceneUpscaleJob.Run(SharedScenes.Path(scene), output, scale, new BicubicUpscaler(), SmallTiles);
        Assert.True(result.Tiles > 20, $"only {result.Tiles} tiles: the test must exercise many seams");

        using var input = GeoTiffReader.Open(SharedScenes.Path(scene));
        var lrWindow = new PixelWindow(0, 0, input.Info.Width, input.Info.Height);
        var lr = input.Read(lrWindow);
        var validity = input.ReadValidity(lrWindow, lr);
        if (validity is not null) NodataFill.Apply(lr, validity, NodataFill.PassesFor(new BicubicUpscaler().EdgeMargin));
        var outWidth = (int)Math.Floor(input.Info.Width * scale);
        var outHeight = (int)Math.Floor(input.Info.Height * scale);
        var whole = new BicubicUpscaler().Upscale(lr, scale, new PixelWindow(0, 0, outWidth, outHeight));

        using var written = GeoTiffReader.Open(output);
        Assert.Equal((outWidth, outHeight, input.Info.Bands), (written.Info.Width, written.Info.Height, written.Info.Bands));
        var mosaic = written.Read(new PixelWindow(0, 0, outWidth, outHeight));
        var max = written.Info.SampleType == RasterSampleType.Byte ? 255f : 65535f;
        var worst = 0f;
        var nodataPixels = 0;
        var plane = outWidth * outHeight;
        for (var i = 0; i < mosaic.Data.Length; i++)
        {
            // HR pixels whose LR pixel is nodata must come out as nodata; all others match the whole image.
            var (x, y) = (i % plane % outWidth, i % plane / outWidth);
            var lrX = (int)Math.Floor((x + 0.5) / scale);
            var lrY = (int)Math.Floor((y + 0.5) / scale);
            if (validity is not null && validity[lrY * lr.Width + lrX] == 0)
            {
                Assert.Equal((float)input.Info.NoData!.Value, mosaic.Data[i]);
                nodataPixels++;
                continue;
            }
            var expected = MathF.Min(max, MathF.Max(0, MathF.Floor(whole.Data[i] + 0.5f)));
            worst = MathF.Max(worst, MathF.Abs(mosaic.Data[i] - expected));
        }
        Assert.True(worst <= 1, $"stitched mosaic differs from the whole-image result by {worst} DN");
        Assert.Equal(validity is null, nodataPixels == 0);
    }

    [Fact]
    public void Narrow_swaths_give_the_same_pixels_as_one_swath()
    {
        using var scratch = new ScratchFolder();
        var (oneSwath, narrow) = (scratch.File("one.tif"), scratch.File("narrow.tif"));
        var scene = SharedScenes.Path("extra/landsat7_RGB.byte_791x718.tif");
        var one = SceneUpscaleJob.Run(scene, oneSwath, 2, new BicubicUpscaler(), SmallTiles);
        var split = SceneUpscaleJob.Run(scene, narrow, 2, new BicubicUpscaler(),
            SmallTiles with { Tiling = SmallTiles.Tiling! with { SwathBlocks = 1 } });
        Assert.True(split.Tiles > one.Tiles, $"{split.Tiles} tiles in 1-block swaths against {one.Tiles}: nothing was split");

        using var a = GeoTiffReader.Open(oneSwath);
        using var b = GeoTiffReader.Open(narrow);
        var window = new PixelWindow(0, 0, a.Info.Width, a.Info.Height);
        Assert.Equal(a.Read(window).Data, b.Read(window).Data);
    }

    [Fact]
    public void Output_is_georeferenced_at_the_new_pixel_size_according_to_gdal()
    {
        using var scratch = new ScratchFolder();
        var output = scratch.File("out.tif");
        SceneUpscaleJob.Run(SharedScenes.LandsatRgbnir, output, 2.5, new BicubicUpscaler(), SmallTiles);

        var before = Gdal.Info(SharedScenes.LandsatRgbnir);
        var after = Gdal.Info(output);
        var gtIn = before.GetProperty("geoTransform").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var gtOut = after.GetProperty("geoTransform").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(gtIn[0], gtOut[0], 6);
        Assert.Equal(gtIn[3], gtOut[3], 6);
        Assert.Equal(gtIn[1] / 2.5, gtOut[1], 9);
        Assert.Equal(gtIn[5] / 2.5, gtOut[5], 9);
        Assert.Equal(new[] { 1567, 1507 }, after.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.Equal(before.GetProperty("coordinateSystem").GetProperty("wkt").GetString(),
                     after.GetProperty("coordinateSystem").GetProperty("wkt").GetString());
    }

    [Fact]
    public void Scale_one_round_trip_of_a_multiband_uint16_scene_is_lossless()
    {
        using var scratch = new ScratchFolder();
        var output = scratch.File("out.tif");
        SceneUpscaleJob.Run(SharedScenes.Sentinel2, output, 1, new BicubicUpscaler(), SmallTiles);
        using var a = GeoTiffReader.Open(SharedScenes.Sentinel2);
        using var b = GeoTiffReader.Open(output);
        var window = new PixelWindow(0, 0, a.Info.Width, a.Info.Height);
        Assert.Equal(a.Read(window).Data, b.Read(window).Data);
        Assert.Equal(a.Info.BandDescriptions, b.Info.BandDescriptions);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.NaN)]
    [InlineData(1000.0)]
    [InlineData(0.5)]
    public void Bad_scale_is_a_one_line_error_and_leaves_no_output(double scale)
    {
        using var scratch = new ScratchFolder();
        var output = scratch.File("out.tif");
        var error = Assert.Throws<RasterFormatException>(() =>
            SceneUpscaleJob.Run(SharedScenes.LandsatRgbnir, output, scale, new BicubicUpscaler(), SmallTiles));
        Assert.Contains("scale", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(Directory.GetFiles(scratch.Root));
    }

    [Fact]
    public void Not_a_tiff_names_the_file_and_leaves_no_output()
    {
        using var scratch = new ScratchFolder();
        var input = scratch.File("notes.tif");
        File.WriteAllText(input, "this is not an image");
        var output = scratch.File("out.tif");
        var error = Assert.Throws<RasterFormatException>(() => SceneUpscaleJob.Run(input, output, 2, new BicubicUpscaler(), SmallTiles));
        Assert.StartsWith(input, error.Message);
        Assert.Equal(new[] { input }, Directory.GetFiles(scratch.Root));
    }

    [Fact]
    public void Truncated_scene_fails_without_leaving_a_partial_output()
    {
        using var scratch = new ScratchFolder();
        var input = scratch.File("truncated.tif");
        var bytes = File.ReadAllBytes(SharedScenes.Path("extra/landsat7_RGB.byte_791x718.tif"));
        File.WriteAllBytes(input, bytes[..(bytes.Length / 2)]);
        var output = scratch.File("out.tif");
        var error = Assert.ThrowsAny<Exception>(() => SceneUpscaleJob.Run(input, output, 2, new BicubicUpscaler(), SmallTiles));
        Assert.Contains("truncated.tif", error.Message);
        Assert.Equal(new[] { input }, Directory.GetFiles(scratch.Root));
    }

    [Fact]
    public void Output_in_a_folder_that_cannot_exist_is_an_error_naming_it()
    {
        using var scratch = new ScratchFolder();
        var blocker = scratch.File("a-file");
        File.WriteAllText(blocker, "");
        var output = Path.Combine(blocker, "out.tif");
        var error = Assert.ThrowsAny<IOException>(() => SceneUpscaleJob.Run(SharedScenes.LandsatRgbnir, output, 2, new BicubicUpscaler(), SmallTiles));
        Assert.Contains(blocker, error.Message);
        Assert.Equal(new[] { blocker }, Directory.GetFiles(scratch.Root));
    }

    [Fact]
    public void Output_may_not_overwrite_the_input()
    {
        using var scratch = new ScratchFolder();
        var input = scratch.File("scene.tif");
        File.Copy(SharedScenes.LandsatRgbnir, input);
        Assert.Throws<RasterFormatException>(() => SceneUpscaleJob.Run(input, input, 2, new BicubicUpscaler(), SmallTiles));
        Assert.Equal(File.ReadAllBytes(SharedScenes.LandsatRgbnir), File.ReadAllBytes(input));
    }

    [Fact]
    public void An_output_that_reaches_the_input_through_a_symlinked_folder_or_a_hard_link_is_refused()
    {
        using var scratch = new ScratchFolder();
        var folder = Directory.CreateDirectory(scratch.File("scenes")).FullName;
        var input = Path.Combine(folder, "scene.tif");
        File.Copy(SharedScenes.LandsatRgbnir, input);
        Directory.CreateSymbolicLink(scratch.File("link"), folder);
        File.CreateSymbolicLink(scratch.File("alias.tif"), input);
        var hardLink = scratch.File("hard.tif");
        Assert.Equal(0, Mono.Unix.Native.Syscall.link(input, hardLink));

        foreach (var output in new[] { Path.Combine(scratch.File("link"), "scene.tif"), scratch.File("alias.tif"), hardLink })
        {
            var error = Assert.Throws<RasterFormatException>(() => SceneUpscaleJob.Run(input, output, 2, new BicubicUpscaler(), SmallTiles));
            Assert.Contains("would overwrite", error.Message);
        }
        Assert.Equal(File.ReadAllBytes(SharedScenes.LandsatRgbnir), File.ReadAllBytes(input));
        Assert.Equal(["scene.tif"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_FIFO_input_and_a_folder_output_are_refused_before_any_work()
    {
        using var scratch = new ScratchFolder();
        var fifo = scratch.File("pipe.tif");
        Assert.Equal(0, Mono.Unix.Native.Syscall.mkfifo(fifo, Mono.Unix.Native.FilePermissions.S_IRUSR | Mono.Unix.Native.FilePermissions.S_IWUSR));
        var fifoError = Assert.Throws<RasterFormatException>(() => SceneUpscaleJob.Run(fifo, scratch.File("out.tif"), 2, new BicubicUpscaler(), SmallTiles));
        Assert.Equal($"{fifo}: not a regular file (a FIFO)", fifoError.Message);

        var folder = Directory.CreateDirectory(scratch.File("out")).FullName;
        var folderError = Assert.Throws<RasterFormatException>(() => SceneUpscaleJob.Run(SharedScenes.LandsatRgbnir, folder, 2, new BicubicUpscaler(), SmallTiles));
        Assert.Equal($"{folder}: the output exists and is not a regular file (a directory)", folderError.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }
}
