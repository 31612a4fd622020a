using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

/// <summary>Files that LibTiff alone would accept (repairing or trusting them) but that are damaged or hostile: each is
/// refused when opened, with one message naming the file and the problem, before any stage sizes itself to it.</summary>
public class HostileTiffTests
{
    [Fact]
    public void A_well_formed_minimal_file_opens_and_reads_its_pixels()
    {
        using var scratch = new ScratchFolder();
        var path = MinimalTiff.Strip(16, 8, 3).Save(scratch.File("ok.tif"));
        using var reader = GeoTiffReader.Open(path);
        Assert.Equal((16, 8, 3), (reader.Info.Width, reader.Info.Height, reader.Info.Bands));
        var block = reader.Read(new PixelWindow(0, 0, 16, 8));
        Assert.Equal(7f, block.Band(1)[0]); // second sample of the first pixel: byte 1 · 7
    }

    public static TheoryData<string, string> Cases => new()
    {
        { "million-squared", "more than any TIFF codec can hold" },
        { "tile-not-multiple-of-16", "tile size 100x100 is not a positive multiple of 16" },
        { "strip-past-eof", "lies outside the file" },
        { "absurd-strip-byte-count", "lies outside the file" },
        { "missing-strip-byte-counts", "StripByteCounts is missing" },
        { "next-directory-past-eof", "the next directory's offset 99999 is outside the file" },
        { "short-uncompressed-strip", "uncompressed strip 0 holds 300 bytes where its pixels need 384" },
        { "directory-past-eof", "the first directory's offset" },
        { "nan-pixel-scale", "ModelPixelScale (NaN, 1) is not a finite non-zero pixel size" },
        { "zero-pixel-scale", "ModelPixelScale (0, 0) is not a finite non-zero pixel size" },
        { "strip-count-mismatch", "StripOffsets has 2 entries where 16x8 in 16x8 chunks needs 1" },
    };

    static byte[] Make(string name) => name switch
    {
        // 402 bytes of header and directory declaring 10⁶ × 10⁶ RGB in one 100-byte deflate strip.
        "million-squared" => MinimalTiff.Strip(16, 8, 3, new byte[100]).Longs(256, 1_000_000).Longs(257, 1_000_000).Longs(278, 1_000_000)
            .Shorts(259, 8).Longs(279, 100).ToBytes(),
        "tile-not-multiple-of-16" => MinimalTiff.Strip(200, 200, 1, new byte[100]).Without(273).Without(278).Without(279)
            .Longs(322, 100).Longs(323, 100).Longs(324, 8, 8, 8, 8).Longs(325, 25, 25, 25, 25).ToBytes(),
        "strip-past-eof" => MinimalTiff.Strip(16, 8, 3).Longs(273, 5000).ToBytes(),
        "absurd-strip-byte-count" => MinimalTiff.Strip(16, 8, 3).Longs(279, 4_000_000_000).ToBytes(),
        "missing-strip-byte-counts" => MinimalTiff.Strip(16, 8, 3).Without(279).ToBytes(),
        "next-directory-past-eof" => MinimalTiff.Strip(16, 8, 3).WithNextDirectory(99999).ToBytes(),
        "short-uncompressed-strip" => MinimalTiff.Strip(16, 8, 3, new byte[300]).ToBytes(),
        "directory-past-eof" => Truncate(MinimalTiff.Strip(16, 8, 3).ToBytes(), 200),
        "nan-pixel-scale" => MinimalTiff.Strip(16, 8, 3).Doubles(33550, double.NaN, 1, 0).Doubles(33922, 0, 0, 0, 500000, 4000000, 0).ToBytes(),
        "zero-pixel-scale" => MinimalTiff.Strip(16, 8, 3).Doubles(33550, 0, 0, 0).Doubles(33922, 0, 0, 0, 500000, 4000000, 0).ToBytes(),
        "strip-count-mismatch" => MinimalTiff.Strip(16, 8, 3).Longs(273, 8, 200).Longs(279, 192, 192).ToBytes(),
        _ => throw new ArgumentException(name),
    };

    static byte[] Truncate(byte[] bytes, int length) => bytes[..length];

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_damaged_or_hostile_directory_is_refused_with_the_file_and_the_problem(string name, string problem)
    {
        using var scratch = new ScratchFolder();
        var path = scratch.File(name + ".tif");
        File.WriteAllBytes(path, Make(name));
        var error = Assert.Throws<RasterFormatException>(() => GeoTiffReader.Open(path).Dispose());
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
