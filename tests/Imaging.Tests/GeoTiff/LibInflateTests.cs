using System.IO.Compression;
using Pipeline.Imaging.GeoTiff;

namespace Pipeline.Imaging.Tests.GeoTiff;

/// <summary>libdeflate decodes input tiles where it accepts the stream; every other stream is zlib's to decide.</summary>
public class LibInflateTests
{
    static readonly byte[] Tile = MakeTile();

    static byte[] MakeTile()
    {
        var tile = new byte[256 * 256 * 8];
        new Random(5).NextBytes(tile.AsSpan(0, tile.Length / 3)); // a third noise, the rest zeros
        return tile;
    }

    static byte[] Zlib(byte[] data)
    {
        var stream = new MemoryStream();
        using (var zlib = new ZLibStream(stream, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(data);
        return stream.ToArray();
    }

    [Fact]
    public void A_zlib_stream_of_the_expected_size_decodes_to_its_bytes()
    {
        using var inflate = LibInflate.TryCreate();
        Assert.NotNull(inflate); // Debian's libdeflate0 comes with GDAL
        var output = new byte[Tile.Length];

        Assert.True(inflate.TryDecompress(Zlib(Tile), output));
        Assert.Equal(Tile, output);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("damaged checksum")]
    [InlineData("longer than the tile")]
    [InlineData("shorter than the tile")]
    public void Any_other_stream_is_declined(string kind)
    {
        using var inflate = LibInflate.TryCreate();
        Assert.NotNull(inflate);
        var stream = Zlib(kind switch
        {
            "longer than the tile" => [.. Tile, 1, 2, 3],
            "shorter than the tile" => Tile[..^1],
            _ => Tile,
        });
        if (kind == "truncated") stream = stream[..(stream.Length / 2)];
        if (kind == "damaged checksum") stream[^1] ^= 0xFF;

        Assert.False(inflate.TryDecompress(stream, new byte[Tile.Length]));
    }
}
