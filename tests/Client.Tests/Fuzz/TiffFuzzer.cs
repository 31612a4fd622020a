using System.Buffers.Binary;

namespace Pipeline.Client.Tests.Fuzz;

/// <summary>
/// Seeded mutations of small real GeoTIFFs (classic little-endian, as the writer makes them), in the families a
/// damaged archive or a hostile user produces: flipped header, directory or data bytes; truncations; directory loops;
/// absurd sizes; odd sample formats; tile sizes off the 16-px grid; NaN, zero or infinite pixel sizes.
/// </summary>
static class TiffFuzzer
{
    public static readonly string[] Families =
        ["header-flip", "directory-flip", "data-flip", "truncation", "directory-loop", "absurd-size", "sample-format", "tile-size", "georeferencing"];

    public static byte[] Mutate(byte[] source, string family, Random random)
    {
        var bytes = (byte[])source.Clone();
        var ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(ifd));
        var ifdEnd = ifd + 2 + 12 * count + 4;
        switch (family)
        {
            case "header-flip":
                Flip(bytes, random, 0, 8, 1 + random.Next(2));
                break;
            case "directory-flip":
                Flip(bytes, random, ifd, ifdEnd, 1 + random.Next(4));
                break;
            case "data-flip":
                Flip(bytes, random, 8, ifd > 8 ? ifd : bytes.Length, 1 + random.Next(64));
                break;
            case "truncation":
                return bytes[..random.Next(1, bytes.Length)];
            case "directory-loop":
                // The next-directory offset points back at this directory, or at the header.
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(ifdEnd - 4), random.Next(2) == 0 ? (uint)ifd : 8u);
                break;
            case "absurd-size":
                SetLong(bytes, ifd, count, random.Next(2) == 0 ? (ushort)256 : (ushort)257,
                    new uint[] { 0, 1, 65_535, 1_000_000, 46_341, int.MaxValue, uint.MaxValue }[random.Next(7)]);
                break;
            case "sample-format":
                if (random.Next(2) == 0) SetShort(bytes, ifd, count, 258, new ushort[] { 0, 1, 4, 12, 24, 64, 255 }[random.Next(7)]);
                else SetShort(bytes, ifd, count, 339, (ushort)random.Next(0, 7));
                break;
            case "tile-size":
                SetLong(bytes, ifd, count, random.Next(2) == 0 ? (ushort)322 : (ushort)323, new uint[] { 0, 1, 15, 100, 255, 4096, 1 << 20 }[random.Next(7)]);
                break;
            case "georeferencing":
                SetPixelScale(bytes, ifd, count, new[] { double.NaN, 0, double.PositiveInfinity, -1e300 }[random.Next(4)]);
                break;
            default:
                throw new ArgumentException(family);
        }
        return bytes;
    }

    static void Flip(byte[] bytes, Random random, int from, int to, int flips)
    {
        to = Math.Min(to, bytes.Length);
        if (to <= from) return;
        for (var i = 0; i < flips; i++) bytes[random.Next(from, to)] ^= (byte)(1 << random.Next(8));
    }

    /// <summary>The position of the directory entry for <paramref name="tag"/>, or -1.</summary>
    static int Entry(byte[] bytes, int ifd, int count, ushort tag)
    {
        for (var i = 0; i < count; i++)
            if (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(ifd + 2 + 12 * i)) == tag) return ifd + 2 + 12 * i;
        return -1;
    }

    static void SetLong(byte[] bytes, int ifd, int count, ushort tag, uint value)
    {
        var at = Entry(bytes, ifd, count, tag);
        if (at < 0) return;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 2), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), value);
    }

    static void SetShort(byte[] bytes, int ifd, int count, ushort tag, ushort value)
    {
        var at = Entry(bytes, ifd, count, tag);
        if (at < 0) return;
        var (type, n) = (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 2)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4)));
        if (type != 3) return;
        // Inline (≤ 2 values) or at the offset the entry holds.
        var values = n <= 2 ? at + 8 : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8));
        for (var i = 0; i < n && values + 2 * i + 2 <= bytes.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(values + 2 * i), value);
    }

    static void SetPixelScale(byte[] bytes, int ifd, int count, double value)
    {
        var at = Entry(bytes, ifd, count, 33550);
        if (at < 0) return;
        var values = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8));
        if (values + 16 > bytes.Length) return;
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(values), value);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(values + 8), value);
    }
}
