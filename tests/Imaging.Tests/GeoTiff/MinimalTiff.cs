using System.Buffers.Binary;

namespace Pipeline.Imaging.Tests.GeoTiff;

/// <summary>
/// Builds classic little-endian TIFFs byte by byte, so tests can declare whatever a hostile or damaged file declares:
/// header, pixel data at offset 8, then one directory (entries sorted by tag), then the values that do not fit inline.
/// </summary>
internal sealed class MinimalTiff
{
    public const uint DataOffset = 8;

    readonly SortedDictionary<ushort, (ushort Type, uint Count, byte[] Raw)> entries = [];

    public byte[] Data { get; set; } = [];

    /// <summary>The next-directory offset written after the entries (0: none).</summary>
    public uint NextDirectory { get; set; }

    public MinimalTiff WithNextDirectory(uint offset)
    {
        NextDirectory = offset;
        return this;
    }

    public MinimalTiff Longs(ushort tag, params uint[] values) => Set(tag, 4, values.SelectMany(v => LittleEndian(v)).ToArray(), values.Length);

    public MinimalTiff Shorts(ushort tag, params ushort[] values) =>
        Set(tag, 3, values.SelectMany(v => new[] { (byte)v, (byte)(v >> 8) }).ToArray(), values.Length);

    public MinimalTiff Doubles(ushort tag, params double[] values) =>
        Set(tag, 12, values.SelectMany(v => BitConverter.GetBytes(v)).ToArray(), values.Length);

    public MinimalTiff Without(ushort tag)
    {
        entries.Remove(tag);
        return this;
    }

    /// <summary>An uncompressed chunky uint8 image in one strip: width × height × bands bytes of <see cref="Data"/>.</summary>
    public static MinimalTiff Strip(uint width, uint height, ushort bands, byte[]? data = null)
    {
        var pixels = data ?? Enumerable.Range(0, (int)(width * height * bands)).Select(i => (byte)(i * 7)).ToArray();
        return new MinimalTiff { Data = pixels }
            .Longs(256, width).Longs(257, height)
            .Shorts(258, Enumerable.Repeat((ushort)8, bands).ToArray())
            .Shorts(259, 1).Shorts(262, (ushort)(bands >= 3 ? 2 : 1))
            .Longs(273, DataOffset).Shorts(277, bands).Longs(278, height).Longs(279, (uint)pixels.Length)
            .Shorts(284, 1);
    }

    public byte[] ToBytes()
    {
        var directoryOffset = (uint)(DataOffset + Data.Length + (Data.Length & 1));
        var directorySize = 2 + 12 * entries.Count + 4;
        var external = new List<byte>();
        var directory = new List<byte>();
        directory.AddRange(new[] { (byte)entries.Count, (byte)(entries.Count >> 8) });
        foreach (var (tag, (type, count, raw)) in entries)
        {
            directory.AddRange(new[] { (byte)tag, (byte)(tag >> 8), (byte)type, (byte)(type >> 8) });
            directory.AddRange(LittleEndian(count));
            if (raw.Length <= 4)
                directory.AddRange(raw.Concat(new byte[4 - raw.Length]));
            else
            {
                directory.AddRange(LittleEndian((uint)(directoryOffset + directorySize + external.Count)));
                external.AddRange(raw);
                if ((external.Count & 1) == 1) external.Add(0);
            }
        }
        directory.AddRange(LittleEndian(NextDirectory));
        var header = new byte[] { (byte)'I', (byte)'I', 42, 0 }.Concat(LittleEndian(directoryOffset));
        return [.. header, .. Data, .. new byte[Data.Length & 1], .. directory, .. external];
    }

    public string Save(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    MinimalTiff Set(ushort tag, ushort type, byte[] raw, int count)
    {
        entries[tag] = (type, (uint)count, raw);
        return this;
    }

    static byte[] LittleEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
