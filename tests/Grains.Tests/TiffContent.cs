using System.Security.Cryptography;
using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.GeoTiff;

namespace Pipeline.Grains.Tests;

/// <summary>
/// Compares two TIFFs byte for byte in everything but the placement of tiles in the file: every directory (image and
/// overviews), every compressed tile's bytes, and the image description. Tile placement follows the order blocks
/// reach the writer, which differs between any two parallel runs, in process or not.
/// </summary>
static class TiffContent
{
    public static void AssertSame(string expected, string actual)
    {
        Assert.Equal(Describe(expected), Describe(actual));
        var (expectedTiles, actualTiles) = (RawTiles(expected), RawTiles(actual));
        Assert.Equal(expectedTiles.Count, actualTiles.Count);
        for (var i = 0; i < expectedTiles.Count; i++)
            Assert.True(expectedTiles[i] == actualTiles[i], $"{actual}: tile {i} differs from {expected}");
    }

    static string Describe(string path)
    {
        using var reader = GeoTiffReader.Open(path);
        var info = reader.Info;
        return $"{info.Width}x{info.Height} {info.Bands} {info.SampleType} rgb={info.IsRgb} nodata={info.NoData} " +
               $"transform={string.Join(",", info.Geo?.GeoTransform ?? [])} point={info.Geo?.IsPixelIsPoint} metadata={info.GdalMetadataXml}";
    }

    /// <summary>SHA-256 of each raw tile, directory after directory.</summary>
    static List<string> RawTiles(string path)
    {
        using var tiff = Tiff.Open(path, "r") ?? throw new IOException($"{path}: cannot open");
        var hashes = new List<string>();
        do
        {
            var buffer = new byte[tiff.TileSize() * 4 + 1024];
            for (var tile = 0; tile < tiff.NumberOfTiles(); tile++)
            {
                var size = tiff.ReadRawTile(tile, buffer, 0, buffer.Length);
                hashes.Add($"{tiff.CurrentDirectory()}:{tile}:{Convert.ToHexString(SHA256.HashData(buffer.AsSpan(0, size)))}");
            }
        }
        while (tiff.ReadDirectory());
        return hashes;
    }
}
