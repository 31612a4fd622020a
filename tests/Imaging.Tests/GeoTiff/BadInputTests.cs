using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

public sealed class BadInputTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Missing_file()
    {
        var path = scratch.File("nowhere.tif");
        AssertOneLineError(path, "file not found", () => GeoTiffReader.Open(path));
    }

    [Fact]
    public void Not_a_tiff()
    {
        var path = scratch.File("text.tif");
        File.WriteAllText(path, "this is not an image\n");
        AssertOneLineError(path, "not a TIFF file (no II/MM byte order mark)", () => GeoTiffReader.Open(path));
    }

    [Fact]
    public void Empty_file()
    {
        var path = scratch.File("empty.tif");
        File.WriteAllBytes(path, []);
        AssertOneLineError(path, "not a TIFF file", () => GeoTiffReader.Open(path));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.05)]
    public void Truncated_file(double keptFraction)
    {
        var path = scratch.File("truncated.tif");
        var bytes = File.ReadAllBytes(SharedScenes.LandsatRgbnir);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keptFraction)]);
        // Depending on where the cut falls, the directory or the tiles are missing.
        var error = Assert.Throws<RasterFormatException>(() =>
        {
            using var reader = GeoTiffReader.Open(path);
            RasterFiles.ReadAll(reader);
        });
        Assert.StartsWith(path + ": ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("CInt16", "unsupported sample format: 32-bit COMPLEXINT")]
    [InlineData("Float64", "unsupported sample format: 64-bit IEEEFP")]
    [InlineData("UInt32", "unsupported sample format: 32-bit UINT")]
    public void Unsupported_sample_types(string gdalType, string problem)
    {
        var path = Gdal.Translate(SharedScenes.LandsatRgbnir, scratch.File(gdalType + ".tif"), "-ot", gdalType, "-srcwin", "0", "0", "20", "20");
        AssertOneLineError(path, problem, () => GeoTiffReader.Open(path));
    }

    [Fact]
    public void Twelve_bit_samples()
    {
        var path = Gdal.Translate(SharedScenes.LandsatRgbnir, scratch.File("12bit.tif"), "-co", "NBITS=12", "-scale", "0", "65535", "0", "4095", "-srcwin", "0", "0", "20", "20");
        AssertOneLineError(path, "unsupported sample format: 12-bit UINT", () => GeoTiffReader.Open(path));
    }

    [Theory]
    [InlineData(0, 5, "zero scanline size")]
    [InlineData(5, 0, "zero number of strips")]
    public void Zero_size_image(int width, int height, string problem)
    {
        var path = scratch.File("zero.tif");
        File.WriteAllBytes(path, MinimalTiff(width, height));
        AssertOneLineError(path, "not a readable TIFF file", () => GeoTiffReader.Open(path));
        Assert.Contains(problem, Assert.Throws<RasterFormatException>(() => GeoTiffReader.Open(path)).Message);
    }

    [Fact]
    public void A_minimal_valid_tiff_reads()
    {
        var path = scratch.File("minimal.tif");
        File.WriteAllBytes(path, MinimalTiff(width: 2, height: 2));
        using var reader = GeoTiffReader.Open(path);
        Assert.Equal([1f, 2, 3, 4], reader.Read(new PixelWindow(0, 0, 2, 2)).Data);
        Assert.Null(reader.Info.Geo);
    }

    static void AssertOneLineError(string path, string problem, Func<IDisposable> open)
    {
        var error = Assert.Throws<RasterFormatException>(() => open().Dispose());
        Assert.StartsWith($"{path}: {problem}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(path, error.Path);
    }

    /// <summary>A little-endian 8-bit grey TIFF with one uncompressed strip holding 1, 2, 3, … (tags written by hand).</summary>
    static byte[] MinimalTiff(int width, int height)
    {
        var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        writer.Write("II"u8);
        writer.Write((ushort)42);
        writer.Write(8u);
        (ushort Tag, ushort Type, uint Value)[] entries =
        [
            (256, 4, (uint)width), (257, 4, (uint)height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
            (273, 4, 0), (277, 3, 1), (278, 4, (uint)Math.Max(height, 1)), (279, 4, (uint)(width * height)),
        ];
        var dataOffset = 8 + 2 + entries.Length * 12 + 4;
        writer.Write((ushort)entries.Length);
        foreach (var (tag, type, value) in entries)
        {
            writer.Write(tag);
            writer.Write(type);
            writer.Write(1u);
            if (type == 3) { writer.Write((ushort)value); writer.Write((ushort)0); }
            else writer.Write(tag == 273 ? (uint)dataOffset : value);
        }
        writer.Write(0u);
        for (var i = 0; i < width * height; i++) writer.Write((byte)(i + 1));
        writer.Flush();
        return stream.ToArray();
    }
}
