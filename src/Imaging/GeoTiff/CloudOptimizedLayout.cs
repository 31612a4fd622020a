using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Lays out a tiled TIFF as a Cloud-Optimized GeoTIFF: the header, GDAL's ghost area declaring the layout, every
/// directory (full resolution first, then overviews from largest to smallest), then the tiles of the smallest overview
/// first and of the full resolution last, each image's tiles in row-major order (band after band when
/// band-interleaved). A reader fetching the start of the file learns where every tile is, and a preview reads one
/// contiguous run. The directories' fields come from a template that LibTiff wrote without pixels
/// (<see cref="DirectoryTemplate"/>), copied byte for byte; only the tile offsets and byte counts are new.
/// </summary>
internal static class CloudOptimizedLayout
{
    const ushort TileOffsets = 324, TileByteCounts = 325;
    const ushort Long = 4, Long8 = 16;

    /// <summary>What GDAL's COG driver writes after the header (without its block leaders and trailers).</summary>
    const string StructuralMetadata = "LAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nKNOWN_INCOMPATIBLE_EDITION=NO\n";

    internal sealed record Field(ushort Tag, ushort Type, ulong Count, byte[] Value);

    /// <summary>A directory's fields other than the tile offsets and byte counts, and its number of tiles.</summary>
    internal sealed class Directory(List<Field> fields, int tiles)
    {
        internal List<Field> Fields { get; } = fields;
        public int Tiles { get; } = tiles;
    }

    /// <summary>The directories of a template TIFF (little-endian, tiled), and whether it is a BigTIFF.</summary>
    public static (bool Big, List<Directory> Directories) ReadTemplate(Stream source)
    {
        var header = new byte[16];
        source.Position = 0;
        source.ReadExactly(header);
        if (header[0] != 'I' || header[1] != 'I') throw new InvalidDataException("only little-endian TIFFs are laid out");
        var big = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(2)) == 43;
        var directories = new List<Directory>();
        for (var next = big ? BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
             next != 0;)
            directories.Add(ReadDirectory(source, (long)next, big, out next));
        return (big, directories);
    }

    /// <summary>Bytes the file will take.</summary>
    public static ulong Size(bool big, IReadOnlyList<Directory> directories, IReadOnlyList<ulong[]> byteCounts) =>
        Place(big, directories, byteCounts).End;

    /// <summary>Writes the file: <paramref name="copyTile"/>(directory, tile, output) writes the encoded bytes of one tile,
    /// <paramref name="byteCounts"/>[directory][tile] of them.</summary>
    public static void Write(Stream target, bool big, IReadOnlyList<Directory> directories, IReadOnlyList<ulong[]> byteCounts, Action<int, int, Stream> copyTile)
    {
        var layout = new Layout(big);
        var (ifdOffsets, newOffsets, end) = Place(big, directories, byteCounts);
        if (!big && end > uint.MaxValue) throw new InvalidDataException("the file would pass 4 GiB in classic TIFF");

        var output = new BufferedStream(target, 1 << 20);
        Span<byte> header = [(byte)'I', (byte)'I', (byte)(big ? 43 : 42), 0];
        output.Write(header);
        if (big) WriteShorts(output, 8, 0); // offset size, reserved
        layout.WriteOffset(output, ifdOffsets.Length > 0 ? ifdOffsets[0] : 0);
        output.Write(Ghost);
        Pad(output, ifdOffsets.Length > 0 ? ifdOffsets[0] : (ulong)output.Position);
        for (var i = 0; i < directories.Count; i++)
            layout.WriteDirectory(output, ifdOffsets[i], Fields(directories[i], layout, newOffsets[i], byteCounts[i]), i + 1 < directories.Count ? ifdOffsets[i + 1] : 0);
        for (var i = directories.Count - 1; i >= 0; i--)
            for (var tile = 0; tile < directories[i].Tiles; tile++)
            {
                var before = output.Position;
                copyTile(i, tile, output);
                if ((ulong)(output.Position - before) != byteCounts[i][tile])
                    throw new InvalidOperationException($"tile {tile} of directory {i}: {output.Position - before} bytes written, {byteCounts[i][tile]} expected");
            }
        output.Flush();
    }

    static readonly byte[] Ghost = Encoding.ASCII.GetBytes($"GDAL_STRUCTURAL_METADATA_SIZE={StructuralMetadata.Length:D6} bytes\n{StructuralMetadata}");

    /// <summary>Where each directory and tile goes, and where the file ends.</summary>
    static (ulong[] Directories, ulong[][] Tiles, ulong End) Place(bool big, IReadOnlyList<Directory> directories, IReadOnlyList<ulong[]> byteCounts)
    {
        var layout = new Layout(big);
        var position = (ulong)(layout.HeaderSize + Ghost.Length);
        position += position % 2;
        var ifdOffsets = new ulong[directories.Count];
        for (var i = 0; i < directories.Count; i++)
        {
            ifdOffsets[i] = position;
            position += layout.DirectorySize(Fields(directories[i], layout, null, byteCounts[i]));
        }
        // Data: smallest overview first, full resolution last.
        var tileOffsets = new ulong[directories.Count][];
        for (var i = directories.Count - 1; i >= 0; i--)
        {
            tileOffsets[i] = new ulong[directories[i].Tiles];
            for (var tile = 0; tile < tileOffsets[i].Length; tile++)
            {
                tileOffsets[i][tile] = position;
                position += byteCounts[i][tile];
            }
        }
        return (ifdOffsets, tileOffsets, position);
    }

    /// <summary>The directory's fields with the tile offsets (placeholders when <paramref name="offsets"/> is null) and
    /// byte counts in the target's integer width, sorted by tag as TIFF requires.</summary>
    static List<Field> Fields(Directory directory, Layout layout, ulong[]? offsets, ulong[] byteCounts)
    {
        var fields = directory.Fields.ToList();
        fields.Add(layout.Integers(TileOffsets, offsets ?? new ulong[directory.Tiles]));
        fields.Add(layout.Integers(TileByteCounts, byteCounts));
        fields.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        return fields;
    }

    static Directory ReadDirectory(Stream source, long offset, bool big, out ulong next)
    {
        var countSize = big ? 8 : 2;
        var entrySize = big ? 20 : 12;
        var countBytes = ReadAt(source, offset, countSize);
        var count = big ? BinaryPrimitives.ReadUInt64LittleEndian(countBytes) : BinaryPrimitives.ReadUInt16LittleEndian(countBytes);
        var entries = ReadAt(source, offset + countSize, (int)count * entrySize + (big ? 8 : 4));
        var fields = new List<Field>();
        ulong[]? offsets = null, byteCounts = null;
        for (var i = 0; i < (int)count; i++)
        {
            var entry = entries.AsSpan(i * entrySize, entrySize);
            var tag = BinaryPrimitives.ReadUInt16LittleEndian(entry);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]);
            var values = big ? BinaryPrimitives.ReadUInt64LittleEndian(entry[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
            var size = checked((int)(values * (ulong)TypeSize(type)));
            var inline = big ? 8 : 4;
            var value = size <= inline
                ? entry.Slice(big ? 12 : 8, size).ToArray()
                : ReadAt(source, big ? (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[12..]) : BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]), size);
            var field = new Field(tag, type, values, value);
            if (tag == TileOffsets) offsets = Integers(field);
            else if (tag == TileByteCounts) byteCounts = Integers(field);
            else fields.Add(field);
        }
        var tail = entries.AsSpan((int)count * entrySize);
        next = big ? BinaryPrimitives.ReadUInt64LittleEndian(tail) : BinaryPrimitives.ReadUInt32LittleEndian(tail);
        // A template written without pixels may have no tile tables at all.
        if (offsets?.Length != byteCounts?.Length)
            throw new InvalidDataException("a directory without matching tile offsets and byte counts");
        return new Directory(fields, offsets?.Length ?? 0);
    }

    static ulong[] Integers(Field field)
    {
        var result = new ulong[field.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = field.Type switch
            {
                3 => BinaryPrimitives.ReadUInt16LittleEndian(field.Value.AsSpan(i * 2)),
                Long => BinaryPrimitives.ReadUInt32LittleEndian(field.Value.AsSpan(i * 4)),
                Long8 => BinaryPrimitives.ReadUInt64LittleEndian(field.Value.AsSpan(i * 8)),
                _ => throw new InvalidDataException($"tile offsets or byte counts of type {field.Type}"),
            };
        return result;
    }

    static int TypeSize(ushort type) =>
        TiffDirectoryCheck.TypeSize(type) is > 0 and var size ? size : throw new InvalidDataException($"unknown TIFF field type {type}");

    static byte[] ReadAt(Stream source, long offset, int count)
    {
        var bytes = new byte[count];
        source.Position = offset;
        source.ReadExactly(bytes);
        return bytes;
    }

    static void Pad(Stream output, ulong position)
    {
        while ((ulong)output.Position < position) output.WriteByte(0);
    }

    static void WriteShorts(Stream output, ushort first, ushort second)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, first);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], second);
        output.Write(bytes);
    }

    /// <summary>Classic TIFF (2-byte entry counts, 12-byte entries, 4-byte offsets) or BigTIFF (8, 20, 8).</summary>
    sealed class Layout(bool big)
    {
        public int HeaderSize => big ? 16 : 8;
        int OffsetSize => big ? 8 : 4;

        /// <summary>Entry count, entries, next offset, then the values too large to sit in their entries (each at an even offset).</summary>
        public ulong DirectorySize(List<Field> fields)
        {
            var size = (ulong)((big ? 8 : 2) + fields.Count * (big ? 20 : 12) + OffsetSize);
            foreach (var field in fields)
                if (field.Value.Length > OffsetSize) size += (ulong)(field.Value.Length + field.Value.Length % 2);
            return size;
        }

        public Field Integers(ushort tag, ulong[] values)
        {
            var bytes = new byte[values.Length * OffsetSize];
            for (var i = 0; i < values.Length; i++)
                if (big) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
                else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), checked((uint)values[i]));
            return new Field(tag, big ? Long8 : Long, (ulong)values.Length, bytes);
        }

        public void WriteOffset(Stream output, ulong value)
        {
            Span<byte> bytes = stackalloc byte[8];
            if (big) BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
            else BinaryPrimitives.WriteUInt32LittleEndian(bytes, checked((uint)value));
            output.Write(bytes[..OffsetSize]);
        }

        public void WriteDirectory(Stream output, ulong at, List<Field> fields, ulong next)
        {
            Pad(output, at);
            Span<byte> count = stackalloc byte[8];
            if (big) BinaryPrimitives.WriteUInt64LittleEndian(count, (ulong)fields.Count);
            else BinaryPrimitives.WriteUInt16LittleEndian(count, (ushort)fields.Count);
            output.Write(count[..(big ? 8 : 2)]);
            var values = at + (ulong)((big ? 8 : 2) + fields.Count * (big ? 20 : 12) + OffsetSize);
            Span<byte> head = stackalloc byte[12];
            Span<byte> inline = stackalloc byte[8];
            foreach (var field in fields)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(head, field.Tag);
                BinaryPrimitives.WriteUInt16LittleEndian(head[2..], field.Type);
                if (big) BinaryPrimitives.WriteUInt64LittleEndian(head[4..], field.Count);
                else BinaryPrimitives.WriteUInt32LittleEndian(head[4..], checked((uint)field.Count));
                output.Write(head[..(big ? 12 : 8)]);
                if (field.Value.Length <= OffsetSize)
                {
                    inline.Clear();
                    field.Value.CopyTo(inline);
                    output.Write(inline[..OffsetSize]);
                }
                else
                {
                    WriteOffset(output, values);
                    values += (ulong)(field.Value.Length + field.Value.Length % 2);
                }
            }
            WriteOffset(output, next);
            foreach (var field in fields.Where(f => f.Value.Length > OffsetSize))
            {
                output.Write(field.Value);
                if (field.Value.Length % 2 == 1) output.WriteByte(0);
            }
        }
    }
}
