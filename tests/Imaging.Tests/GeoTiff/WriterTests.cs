using System.Text.Json;
using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

public sealed class WriterTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Theory]
    [MemberData(nameof(SharedScenes.All), MemberType = typeof(SharedScenes))]
    public void Every_real_scene_round_trips_losslessly_and_gdal_sees_the_same_raster(string name)
    {
        var input = SharedScenes.Path(name);
        var output = Copies.Copy(input, scratch.File("copy.tif"));

        Assert.Null(RasterFiles.FirstDifference(RasterFiles.ReadAll(input), RasterFiles.ReadAll(output)));
        var expected = Gdal.Info(input);
        var actual = Gdal.Info(output);
        Assert.Equal(expected.GetProperty("size").ToString(), actual.GetProperty("size").ToString());
        Assert.Equal(expected.GetProperty("geoTransform").ToString(), actual.GetProperty("geoTransform").ToString());
        Assert.Equal(Wkt(expected), Wkt(actual));
        var expectedBands = expected.GetProperty("bands").EnumerateArray().ToArray();
        var actualBands = actual.GetProperty("bands").EnumerateArray().ToArray();
        Assert.Equal(expectedBands.Length, actualBands.Length);
        for (var band = 0; band < expectedBands.Length; band++)
        {
            Assert.Equal(expectedBands[band].GetProperty("type").GetString(), actualBands[band].GetProperty("type").GetString());
            Assert.Equal(Optional(expectedBands[band], "noDataValue"), Optional(actualBands[band], "noDataValue"));
            Assert.Equal(Optional(expectedBands[band], "description"), Optional(actualBands[band], "description"));
        }
        if (name.Contains("rgb", StringComparison.OrdinalIgnoreCase) && expectedBands.Length == 3)
            Assert.Equal(["Red", "Green", "Blue"], actualBands.Select(b => b.GetProperty("colorInterpretation").GetString()));
    }

    [Fact]
    public void Blocks_written_in_any_order_give_identical_tiles()
    {
        var ordered = Copies.Copy(SharedScenes.Sentinel2, scratch.File("ordered.tif"), blockTiles: 1);
        var shuffled = Copies.Copy(SharedScenes.Sentinel2, scratch.File("shuffled.tif"), blockTiles: 1, shuffleSeed: 42);
        var mixed = Copies.Copy(SharedScenes.Sentinel2, scratch.File("mixed.tif"), blockTiles: 3, shuffleSeed: 7);

        var reference = RawTiles(ordered);
        Assert.Equal(16, reference.Count);
        Assert.Equal(reference, RawTiles(shuffled));
        Assert.Equal(reference, RawTiles(mixed));
        Assert.Null(RasterFiles.FirstDifference(RasterFiles.ReadAll(ordered), RasterFiles.ReadAll(shuffled)));
    }

    [Theory]
    [InlineData(RasterSampleType.Byte, new float[] { -1.6f, -0.5f, 0.49f, 0.5f, 1.5f, 254.5f, 255.4f, 300, float.NaN }, new float[] { 0, 0, 0, 1, 2, 255, 255, 255, 0 })]
    [InlineData(RasterSampleType.UInt16, new float[] { -3, 0.5f, 1000.49f, 1000.5f, 65535.4f, 70000, float.NaN }, new float[] { 0, 1, 1000, 1001, 65535, 65535, 0 })]
    [InlineData(RasterSampleType.Int16, new float[] { -40000, -2.5f, -1.6f, -0.4f, 2.5f, 32767.4f, 40000 }, new float[] { -32768, -2, -2, 0, 3, 32767, 32767 })]
    [InlineData(RasterSampleType.Float32, new float[] { -1.25f, 0.1f, 3e38f, float.NaN }, new float[] { -1.25f, 0.1f, 3e38f, float.NaN })]
    public void Integer_samples_are_rounded_and_clamped(RasterSampleType type, float[] written, float[] expected)
    {
        var info = new RasterInfo { Width = written.Length, Height = 1, Bands = 1, SampleType = type };
        var path = Copies.Generate(info, scratch.File("values.tif"), (_, x, _) => written[x]);
        Assert.Equal(expected, RasterFiles.ReadAll(path));
        Assert.Equal(expected, Gdal.Decode(path, type));
    }

    [Theory]
    [InlineData(RasterSampleType.UInt16, OutputCompression.Deflate, "DEFLATE", "2")]
    [InlineData(RasterSampleType.Byte, OutputCompression.Lzw, "LZW", "2")]
    [InlineData(RasterSampleType.Float32, OutputCompression.Deflate, "DEFLATE", "3")]
    [InlineData(RasterSampleType.Float32, OutputCompression.Lzw, "LZW", "3")]
    public void Compression_and_predictor_suit_the_sample_type(RasterSampleType type, OutputCompression compression, string gdalName, string predictor)
    {
        var info = new RasterInfo { Width = 300, Height = 200, Bands = 2, SampleType = type };
        var path = Copies.Generate(info, scratch.File("compressed.tif"), (b, x, y) => b * 1000 + x * 0.5f + y, new GeoTiffWriteOptions { Compression = compression });
        var structure = Gdal.Info(path).GetProperty("metadata").GetProperty("IMAGE_STRUCTURE");
        Assert.Equal(gdalName, structure.GetProperty("COMPRESSION").GetString());
        Assert.Equal(predictor, structure.GetProperty("PREDICTOR").GetString());
        Assert.Equal(RasterFiles.ReadAll(path), Gdal.Decode(path, type));
    }

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    public void Tiles_have_the_requested_size(int tileSize)
    {
        var path = Copies.Copy(SharedScenes.LandsatRgbnir, scratch.File("tiles.tif"), new GeoTiffWriteOptions { TileSize = tileSize, BuildOverviews = false });
        var band = Gdal.Info(path).GetProperty("bands")[0];
        Assert.Equal([tileSize, tileSize], band.GetProperty("block").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public void Commit_fails_when_a_tile_is_missing_and_nothing_is_left_behind()
    {
        var final = scratch.File("incomplete.tif");
        using (var reader = GeoTiffReader.Open(SharedScenes.LandsatRgbnir))
        using (var writer = GeoTiffWriter.Create(final, reader.Info))
        {
            foreach (var window in Copies.Blocks(reader.Info, 256, null).Where(w => w != new PixelWindow(256, 512, 256, 91)))
                writer.Write(reader.Read(window));
            var error = Assert.Throws<InvalidOperationException>(() => writer.Commit());
            Assert.Contains("1 of 9 tiles were not written (first missing: column 1, row 2)", error.Message);
            Assert.StartsWith(final, error.Message);
            Assert.True(File.Exists(writer.TemporaryPath));
        }
        Assert.Empty(Directory.GetFiles(scratch.Root));
    }

    [Fact]
    public void Disposing_without_commit_deletes_the_temporary_file()
    {
        var final = scratch.File("abandoned.tif");
        string temporary;
        using (var writer = GeoTiffWriter.Create(final, new RasterInfo { Width = 10, Height = 10, Bands = 1, SampleType = RasterSampleType.Byte }))
        {
            temporary = writer.TemporaryPath;
            Assert.Equal(scratch.Root, Path.GetDirectoryName(temporary));
            Assert.StartsWith(final + ".partial-", temporary);
            writer.Write(new RasterBlock(new PixelWindow(0, 0, 10, 10), 1));
        }
        Assert.False(File.Exists(temporary));
        Assert.Empty(Directory.GetFiles(scratch.Root));
    }

    [Fact]
    public void Commit_replaces_an_existing_file_atomically()
    {
        var final = scratch.File("replaced.tif");
        File.WriteAllText(final, "old");
        var info = new RasterInfo { Width = 20, Height = 20, Bands = 1, SampleType = RasterSampleType.Byte };
        Copies.Generate(info, final, (_, x, _) => x);
        Assert.Equal(19, RasterFiles.ReadAll(final)[19]);
        Assert.Single(Directory.GetFiles(scratch.Root));
    }

    [Theory]
    [InlineData("missing-folder/out.tif")]
    [InlineData("a-file/out.tif")]
    public void An_unwritable_output_path_is_a_clear_error(string relative)
    {
        File.WriteAllText(scratch.File("a-file"), "not a folder");
        var final = scratch.File(relative);
        var info = new RasterInfo { Width = 10, Height = 10, Bands = 1, SampleType = RasterSampleType.Byte };
        var error = Assert.Throws<IOException>(() => GeoTiffWriter.Create(final, info));
        Assert.StartsWith($"{final}: cannot create the output file", error.Message);
        Assert.False(File.Exists(final));
        Assert.Single(Directory.GetFiles(scratch.Root));
    }

    [Theory]
    [InlineData(1, 0, 256, 256)]
    [InlineData(0, 0, 255, 256)]
    [InlineData(0, 0, 300, 300)]
    [InlineData(512, 512, 256, 256)]
    public void Blocks_must_be_whole_tiles(int x, int y, int width, int height)
    {
        var info = new RasterInfo { Width = 600, Height = 600, Bands = 2, SampleType = RasterSampleType.UInt16 };
        using var writer = GeoTiffWriter.Create(scratch.File("aligned.tif"), info);
        Assert.Throws<ArgumentException>(() => writer.Write(new RasterBlock(new PixelWindow(x, y, width, height), 2)));
        writer.Write(new RasterBlock(new PixelWindow(512, 512, 88, 88), 2));
        Assert.Throws<InvalidOperationException>(() => writer.Write(new RasterBlock(new PixelWindow(512, 512, 88, 88), 2)));
        Assert.Throws<ArgumentException>(() => writer.Write(new RasterBlock(new PixelWindow(0, 0, 256, 256), 3)));
    }

    static Dictionary<int, string> RawTiles(string path)
    {
        using var tiff = Tiff.Open(path, "r");
        var tiles = new Dictionary<int, string>();
        var buffer = new byte[tiff.TileSize() * 2];
        for (var tile = 0; tile < tiff.NumberOfTiles(); tile++)
        {
            var size = tiff.ReadRawTile(tile, buffer, 0, buffer.Length);
            tiles[tile] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(buffer.AsSpan(0, size)));
        }
        return tiles;
    }

    static string? Wkt(JsonElement info) =>
        info.TryGetProperty("coordinateSystem", out var crs) ? crs.GetProperty("wkt").GetString() : null;

    static string? Optional(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.ToString() : null;
}
