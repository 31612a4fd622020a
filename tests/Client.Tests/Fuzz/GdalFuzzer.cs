namespace Pipeline.Client.Tests.Fuzz;

/// <summary>
/// Seeded mutations of the inputs that go to GDAL: JPEG 2000 and netCDF files (flipped header and data bytes,
/// truncations, inserted garbage) and VRTs, both damaged (flipped or cut XML) and hostile (raw bands over system
/// files, sources that refer to themselves or reach other hosts or process memory, vast declared sizes, Python pixel
/// functions, deep nesting).
/// </summary>
static class GdalFuzzer
{
    public static readonly string[] BinaryFamilies = ["header-flip", "data-flip", "truncation", "garbage"];

    public static readonly string[] VrtFamilies =
        ["xml-flip", "xml-truncation", "raw-band", "self-reference", "vast", "remote-source", "memory-source", "system-source", "python-function", "odd-numbers"];

    public static byte[] MutateBinary(byte[] source, string family, Random random)
    {
        var bytes = (byte[])source.Clone();
        switch (family)
        {
            case "header-flip":
                Flip(bytes, random, 0, Math.Min(256, bytes.Length), 1 + random.Next(4));
                return bytes;
            case "data-flip":
                Flip(bytes, random, Math.Min(256, bytes.Length - 1), bytes.Length, 1 + random.Next(64));
                return bytes;
            case "truncation":
                return bytes[..random.Next(1, bytes.Length)];
            default:
                var at = random.Next(bytes.Length);
                var garbage = new byte[1 + random.Next(512)];
                random.NextBytes(garbage);
                return [.. bytes[..at], .. garbage, .. bytes[at..]];
        }
    }

    /// <param name="source">A local scene next to the VRT (its file name).</param>
    /// <param name="self">The VRT's own file name.</param>
    public static string MutateVrt(string source, string self, string family, Random random)
    {
        var band = "<SimpleSource><SourceFilename relativeToVRT=\"1\">{0}</SourceFilename><SourceBand>1</SourceBand></SimpleSource>";
        string Vrt(string sources, long width = 64, long height = 48, string attributes = "") =>
            $"<VRTDataset rasterXSize=\"{width}\" rasterYSize=\"{height}\"><VRTRasterBand dataType=\"UInt16\" band=\"1\"{attributes}>{sources}</VRTRasterBand></VRTDataset>";
        var plain = Vrt(string.Format(band, source));
        switch (family)
        {
            case "xml-flip":
                var chars = plain.ToCharArray();
                for (var i = 1 + random.Next(4); i > 0; i--) chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
                return new string(chars);
            case "xml-truncation":
                return plain[..random.Next(1, plain.Length)];
            case "raw-band":
                return $"<VRTDataset rasterXSize=\"16\" rasterYSize=\"4\"><VRTRasterBand dataType=\"Byte\" band=\"1\" subClass=\"VRTRawRasterBand\"><SourceFilename relativeToVRT=\"0\">{new[] { "/etc/passwd", "/proc/self/environ", source }[random.Next(3)]}</SourceFilename><ImageOffset>0</ImageOffset><PixelOffset>1</PixelOffset><LineOffset>16</LineOffset></VRTRasterBand></VRTDataset>";
            case "self-reference":
                return Vrt(string.Format(band, self));
            case "vast":
                return Vrt(string.Format(band, source), new long[] { 100_000, 1_000_000_000, int.MaxValue }[random.Next(3)], new long[] { 1, 100_000, 1_000_000 }[random.Next(3)]);
            case "remote-source":
                return Vrt(string.Format(band, new[] { "/vsicurl/http://127.0.0.1:9/x.tif", "https://169.254.169.254/latest/meta-data/", "/vsis3/bucket/x.tif" }[random.Next(3)]).Replace("relativeToVRT=\"1\"", "relativeToVRT=\"0\""));
            case "memory-source":
                return Vrt(string.Format(band, "MEM:::DATAPOINTER=0x10,PIXELS=64,LINES=48,BANDS=1,DATATYPE=UInt16").Replace("relativeToVRT=\"1\"", "relativeToVRT=\"0\""));
            case "system-source":
                return Vrt(string.Format(band, new[] { "/proc/self/mem", "/dev/zero", "/sys/kernel/notes" }[random.Next(3)]).Replace("relativeToVRT=\"1\"", "relativeToVRT=\"0\""));
            case "python-function":
                return Vrt(string.Format(band, source), attributes: " subClass=\"VRTDerivedRasterBand\"").Replace("<SimpleSource>",
                    "<PixelFunctionType>f</PixelFunctionType><PixelFunctionLanguage>Python</PixelFunctionLanguage><PixelFunctionCode>import os</PixelFunctionCode><SimpleSource>");
            default:
                var numbers = new[] { "-1", "0", "NaN", "1e300", "99999999999999999999" };
                return Vrt($"<SimpleSource><SourceFilename relativeToVRT=\"1\">{source}</SourceFilename><SourceBand>{numbers[random.Next(numbers.Length)]}</SourceBand>" +
                           $"<SrcRect xOff=\"{numbers[random.Next(numbers.Length)]}\" yOff=\"0\" xSize=\"{numbers[random.Next(numbers.Length)]}\" ySize=\"48\" />" +
                           $"<DstRect xOff=\"0\" yOff=\"{numbers[random.Next(numbers.Length)]}\" xSize=\"64\" ySize=\"48\" /></SimpleSource>");
        }
    }

    static void Flip(byte[] bytes, Random random, int from, int to, int count)
    {
        for (var i = 0; i < count && to > from; i++) bytes[random.Next(from, to)] ^= (byte)(1 << random.Next(8));
    }
}
