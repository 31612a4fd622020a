using System.Security.Cryptography;
using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.GeoTiff;

namespace Pipeline.TestSupport;

/// <summary>
/// Compares two TIFFs byte for byte in what they hold rather than where it sits in the file: every directory (image
/// and overviews), every compressed tile's bytes, and the image description.
/// </summary>
public static class TiffContent
{
    public static void AssertSame(string expected, string actual) => AssertSame(expected, actual, withMetadata: true);

    /// <summary>The same, except dataset metadata items named here (figures that may differ in their last digits
    /// between two tilings of the same pixels).</summary>
    public static void AssertSameExcept(string expected, string actual, params string[] items) =>
        AssertSame(expected, actual, withMetadata: true, items);

    /// <summary>The same, except the GDAL_METADATA text: a scene read through GDAL has its metadata rendered anew.</summary>
    public static void AssertPixelsSame(string expected, string actual) => AssertSame(expected, actual, withMetadata: false);

    static void AssertSame(string expected, string actual, bool withMetadata, string[]? ignoredItems = null)
    {
        Assert.Equal(Describe(expected, withMetadata, ignoredItems), Describe(actual, withMetadata, ignoredItems));
        var (expectedTiles, actualTiles) = (RawTiles(expected), RawTiles(actual));
        Assert.Equal(expectedTiles.Count, actualTiles.Count);
        for (var i = 0; i < expectedTiles.Count; i++)
            Assert.True(expectedTiles[i] == actualTiles[i], $"{actual}: tile {i} differs from {expected}");
    }

    static string Describe(string path, bool withMetadata, string[]? ignoredItems)
    {
        using var reader = GeoTiffReader.Open(path);
        var info = reader.Info;
        var metadata = info.GdalMetadataXml;
        foreach (var item in ignoredItems ?? [])
            metadata = System.Text.RegularExpressions.Regex.Replace(metadata ?? "", $"<Item name=\"{item}\">[^<]*</Item>", "");
        return $"{info.Width}x{info.Height} {info.Bands} {info.SampleType} rgb={info.IsRgb} nodata={info.NoData} " +
               $"transform={string.Join(",", info.Geo?.GeoTransform ?? [])} point={info.Geo?.IsPixelIsPoint}" +
               (withMetadata ? $" metadata={metadata}" : "");
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
