using System.Buffers.Binary;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Checks the first image directory of a TIFF against the file itself before LibTiff trusts it. LibTiff repairs
/// what it can (estimates missing byte counts, reads past the end as zeros, ignores a dangling next-directory offset),
/// so a damaged or hostile file could otherwise run, or declare a million-by-million image in 400 bytes and make
/// every later stage size itself to that. Refused: a directory, next-directory offset or field values outside the file; missing or
/// miscounted strip/tile offsets and byte counts; a chunk outside the file; uncompressed chunks shorter than their
/// pixels; tiles whose sides are not positive multiples of 16 (TIFF 6.0); a declared size the file cannot hold.
/// </summary>
internal static class TiffDirectoryCheck
{
    /// <summary>Deflate, the best of the TIFF codecs on constant data, stays under about 1:1032; LZW and PackBits
    /// under 1:2730 and 1:64. Data claiming more than this per byte of the file is not real.</summary>
    const long MaxCompressionRatio = 4096;

    const ushort ImageWidth = 256, ImageLength = 257, BitsPerSample = 258, Compression = 259, StripOffsets = 273,
        SamplesPerPixel = 277, RowsPerStrip = 278, StripByteCounts = 279, PlanarConfiguration = 284,
        TileWidth = 322, TileLength = 323, TileOffsets = 324, TileByteCounts = 325;

    sealed record Entry(ushort Type, ulong Count, long ValueOffset, byte[] Inline);

    public static void Validate(string path, Stream stream)
    {
        var length = stream.Length;
        RasterFormatException Bad(string problem) => new(path, problem);

        var header = ReadAt(stream, 0, 16, length) ?? throw Bad("not a TIFF file (shorter than its header)");
        var little = header[0] == (byte)'I' && header[1] == (byte)'I';
        if (!little && !(header[0] == (byte)'M' && header[1] == (byte)'M')) throw Bad("not a TIFF file (no II/MM byte order mark)");
        var version = U16(header, 2, little);
        var big = version == 43;
        if (version != 42 && !big) throw Bad($"not a TIFF file (version {version}, expected 42 or 43)");
        var firstIfd = big ? (long)U64(header, 8, little) : U32(header, 4, little);

        var countSize = big ? 8 : 2;
        var entrySize = big ? 20 : 12;
        var offsetSize = big ? 8 : 4;
        var countBytes = firstIfd >= 8 && firstIfd <= length - countSize ? ReadAt(stream, firstIfd, countSize, length) : null;
        if (countBytes is null) throw Bad($"the first directory's offset {firstIfd} is outside the file ({length} bytes)");
        var entryCount = big ? U64(countBytes, 0, little) : U16(countBytes, 0, little);
        var directoryEnd = firstIfd + countSize + (decimal)entryCount * entrySize + offsetSize;
        if (entryCount == 0 || directoryEnd > length) throw Bad($"the first directory ({entryCount} entries) does not fit in the file ({length} bytes)");

        var raw = ReadAt(stream, firstIfd + countSize, (int)entryCount * entrySize + offsetSize, length)!;
        var entries = new Dictionary<ushort, Entry>();
        for (var i = 0; i < (int)entryCount; i++)
        {
            var at = i * entrySize;
            var tag = U16(raw, at, little);
            var type = U16(raw, at + 2, little);
            var count = big ? U64(raw, at + 4, little) : U32(raw, at + 4, little);
            var valueAt = at + (big ? 12 : 8);
            entries[tag] = new Entry(type, count, big ? (long)U64(raw, valueAt, little) : U32(raw, valueAt, little), raw[valueAt..(valueAt + offsetSize)]);
        }
        // Every field's values must lie inside the file: a flipped count would otherwise make LibTiff allocate and
        // convert gigabytes (a 33-million-entry ModelPixelScale in an 11 kB file).
        foreach (var (tag, e) in entries)
        {
            var size = (decimal)TypeSize(e.Type) * e.Count;
            if (size > offsetSize && (e.ValueOffset < 0 || e.ValueOffset + size > length))
                throw Bad($"field {tag} declares {e.Count} values at offset {e.ValueOffset}, past the end of the file ({length} bytes)");
        }
        var nextIfd = big ? (long)U64(raw, (int)entryCount * entrySize, little) : U32(raw, (int)entryCount * entrySize, little);
        if (nextIfd != 0 && (nextIfd < 8 || nextIfd > length - countSize))
            throw Bad($"the next directory's offset {nextIfd} is outside the file ({length} bytes)");

        long Scalar(ushort tag, long fallback) =>
            entries.TryGetValue(tag, out var e) && e.Count >= 1 ? (long)Values(e, stream, little, offsetSize, length, path)[0] : fallback;
        var width = Scalar(ImageWidth, 0);
        var height = Scalar(ImageLength, 0);
        if (width <= 0 || height <= 0) return; // LibTiff reports a zero or missing size itself
        var samples = Scalar(SamplesPerPixel, 1);
        var bits = Scalar(BitsPerSample, 1);
        var compressed = Scalar(Compression, 1) != 1;
        var planes = Scalar(PlanarConfiguration, 1) == 2 ? samples : 1;
        var samplesPerChunkPixel = planes == 1 ? samples : 1;

        var tiled = entries.ContainsKey(TileWidth) || entries.ContainsKey(TileOffsets);
        long chunkWidth, chunkHeight, across, down;
        if (tiled)
        {
            (chunkWidth, chunkHeight) = (Scalar(TileWidth, 0), Scalar(TileLength, 0));
            if (chunkWidth <= 0 || chunkHeight <= 0 || chunkWidth % 16 != 0 || chunkHeight % 16 != 0)
                throw Bad($"tile size {chunkWidth}x{chunkHeight} is not a positive multiple of 16");
            (across, down) = ((width + chunkWidth - 1) / chunkWidth, (height + chunkHeight - 1) / chunkHeight);
        }
        else
        {
            var rows = Scalar(RowsPerStrip, uint.MaxValue);
            if (rows <= 0) throw Bad($"rows per strip {rows} is not positive");
            (chunkWidth, chunkHeight) = (width, Math.Min(rows, height));
            (across, down) = (1, (height + chunkHeight - 1) / chunkHeight);
        }
        var chunks = (decimal)across * down * planes;
        var (offsetsTag, countsTag, noun) = tiled ? (TileOffsets, TileByteCounts, "Tile") : (StripOffsets, StripByteCounts, "Strip");
        foreach (var tag in new[] { offsetsTag, countsTag })
        {
            var name = tag == offsetsTag ? $"{noun}Offsets" : $"{noun}ByteCounts";
            if (!entries.TryGetValue(tag, out var e)) throw Bad($"{name} is missing");
            if (e.Count != chunks) throw Bad($"{name} has {e.Count} entries where {width}x{height} in {chunkWidth}x{chunkHeight} chunks needs {chunks}");
        }

        var offsets = Values(entries[offsetsTag], stream, little, offsetSize, length, path);
        var counts = Values(entries[countsTag], stream, little, offsetSize, length, path);
        var bitsPerChunkRow = (decimal)chunkWidth * samplesPerChunkPixel * bits;
        decimal declared = 0, stored = 0;
        for (var i = 0; i < offsets.Length; i++)
        {
            var (offset, count) = (offsets[i], counts[i]);
            if (offset == 0 && count == 0) continue; // sparse (GDAL SPARSE_OK): reads as nodata
            if (count > (ulong)length || offset > (ulong)length - count)
                throw Bad($"{noun.ToLowerInvariant()} {i} ({count} bytes at {offset}) lies outside the file ({length} bytes)");
            var rowsInChunk = tiled ? chunkHeight : Math.Min(chunkHeight, height - i % down * chunkHeight);
            var expected = Math.Ceiling(bitsPerChunkRow / 8) * rowsInChunk;
            if (!compressed && count < expected)
                throw Bad($"uncompressed {noun.ToLowerInvariant()} {i} holds {count} bytes where its pixels need {expected}");
            declared += expected;
            stored += count;
        }
        if (compressed && declared > Math.Max(stored, 1) * MaxCompressionRatio)
            throw Bad($"declares {width}x{height} pixels ({declared:N0} bytes) in {stored:N0} bytes of compressed data: more than any TIFF codec can hold");
    }

    /// <summary>The entry's values (SHORT, LONG or LONG8) as unsigned integers, read from the file when not inline.</summary>
    static ulong[] Values(Entry e, Stream stream, bool little, int inlineSize, long length, string path)
    {
        var size = e.Type is 3 or 4 or 13 or 16 or 18 ? TypeSize(e.Type) : 0;
        if (size == 0) throw new RasterFormatException(path, $"an offset or size field has type {e.Type}, not an integer type");
        var total = (decimal)e.Count * size;
        byte[] data;
        if (total <= inlineSize) data = e.Inline;
        else if (e.ValueOffset < 0 || e.ValueOffset + total > length)
            throw new RasterFormatException(path, $"a field's {e.Count} values at offset {e.ValueOffset} lie outside the file ({length} bytes)");
        else data = ReadAt(stream, e.ValueOffset, (int)total, length)!;
        var values = new ulong[e.Count];
        for (var i = 0; i < values.Length; i++)
            values[i] = size switch { 2 => U16(data, i * 2, little), 4 => U32(data, i * 4, little), _ => U64(data, i * 8, little) };
        return values;
    }

    /// <summary>Bytes per value of a TIFF field type (0 for types LibTiff ignores).</summary>
    internal static int TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 0,
    };

    static byte[]? ReadAt(Stream stream, long offset, int count, long length)
    {
        if (offset < 0 || count < 0 || offset + count > length) return null;
        var buffer = new byte[count];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }

    static ushort U16(byte[] b, int at, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at));
    static uint U32(byte[] b, int at, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));
    static ulong U64(byte[] b, int at, bool little) => little ? BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(at));
}
