using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Decodes the part of one TIFF directory that a window touches: only the tiles or strips intersecting it,
/// one at a time, into a single reused buffer. Strips larger than <see cref="MaxStripBytes"/> (typically a
/// whole compressed image in one strip) are read scanline by scanline instead, so memory stays bounded by
/// the window, not by the file's layout. The last decoded tiles and strips are kept (up to
/// <see cref="CacheBytes"/>): neighbouring windows of a job overlap, and would otherwise decode the same tile again.
/// </summary>
internal sealed class TiffWindowDecoder
{
    /// <summary>
    /// Receives one decoded row of a tile or strip: <paramref name="rowBytes"/> holds the samples of image row
    /// <paramref name="row"/> from column <paramref name="blockColumn"/> on (packed, native byte order), for
    /// sample plane <paramref name="plane"/> (always 0 for chunky data).
    /// </summary>
    public delegate void RowHandler(int plane, int row, int blockColumn, ReadOnlySpan<byte> rowBytes);

    const int MaxStripBytes = 1 << 20;

    /// <summary>Decoded blocks kept for overlapping windows: two rows of 256² tiles across a 4096-px swath of a
    /// 4-band uint16 scene, far less than the windows themselves.</summary>
    const long CacheBytes = 32L << 20;

    readonly Tiff tiff;
    readonly string path;
    readonly int height;
    readonly int planes;
    readonly bool tiled;
    readonly bool byScanline;
    readonly int blockWidth;
    readonly int blockHeight;
    readonly int rowBytes;
    readonly byte[] buffer;
    readonly NativeDeflateDecoder? deflate;
    readonly Queue<(int Plane, int Block)> cacheOrder = new();
    readonly Dictionary<(int Plane, int Block), (byte[] Bytes, int Decoded)> cache = [];
    (int Plane, int Row) lastScanline = (-1, -1);

    /// <param name="planes">Sample planes: the band count for planar (separate) data, 1 for chunky.</param>
    public TiffWindowDecoder(Tiff tiff, string path, int width, int height, int planes)
    {
        this.tiff = tiff;
        this.path = path;
        this.height = height;
        this.planes = planes;
        tiled = tiff.IsTiled();
        if (tiled)
        {
            blockWidth = tiff.GetField(TiffTag.TILEWIDTH)[0].ToInt();
            blockHeight = tiff.GetField(TiffTag.TILELENGTH)[0].ToInt();
            rowBytes = tiff.TileRowSize();
            buffer = new byte[tiff.TileSize()];
            deflate = NativeDeflateDecoder.TryCreate(tiff, rowBytes);
            return;
        }
        blockWidth = width;
        blockHeight = Math.Clamp(tiff.GetFieldDefaulted(TiffTag.ROWSPERSTRIP)[0].ToInt(), 1, height);
        rowBytes = tiff.ScanlineSize();
        byScanline = (long)tiff.StripSize() > MaxStripBytes;
        buffer = new byte[byScanline ? rowBytes : tiff.StripSize()];
        deflate = byScanline ? null : NativeDeflateDecoder.TryCreate(tiff, rowBytes);
    }

    /// <summary>Calls <paramref name="handler"/> for every decoded block row that overlaps <paramref name="window"/>,
    /// in sample planes <paramref name="firstPlane"/> to <paramref name="firstPlane"/> + <paramref name="planeCount"/> − 1
    /// (all planes when <paramref name="planeCount"/> is not given).</summary>
    public void ForEachRow(PixelWindow window, RowHandler handler, int firstPlane = 0, int? planeCount = null)
    {
        if (window.IsEmpty) return;
        for (var plane = firstPlane; plane < firstPlane + (planeCount ?? planes - firstPlane); plane++)
        {
            if (byScanline) ReadScanlines(window, plane, handler);
            else ReadBlocks(window, plane, handler);
        }
    }

    void ReadBlocks(PixelWindow window, int plane, RowHandler handler)
    {
        for (var blockTop = window.Y / blockHeight * blockHeight; blockTop < window.Bottom; blockTop += blockHeight)
        {
            for (var blockLeft = window.X / blockWidth * blockWidth; blockLeft < window.Right; blockLeft += blockWidth)
            {
                var (bytes, decoded) = Cached(blockLeft, blockTop, plane);
                // Strips at the bottom are short; tiles always hold blockHeight rows.
                var rows = tiled ? blockHeight : Math.Min(blockHeight, decoded / rowBytes);
                var first = Math.Max(window.Y, blockTop);
                var last = Math.Min(window.Bottom, Math.Min(blockTop + rows, height));
                for (var row = first; row < last; row++)
                    handler(plane, row, blockLeft, bytes.AsSpan((row - blockTop) * rowBytes, rowBytes));
            }
        }
    }

    (byte[] Bytes, int Decoded) Cached(int blockLeft, int blockTop, int plane)
    {
        var key = (plane, tiled ? tiff.ComputeTile(blockLeft, blockTop, 0, (short)plane) : tiff.ComputeStrip(blockTop, (short)plane));
        if (cache.TryGetValue(key, out var hit)) return hit;
        var decoded = Decode(blockLeft, blockTop, plane);
        var capacity = (int)Math.Max(1, CacheBytes / buffer.Length);
        while (cache.Count >= capacity) cache.Remove(cacheOrder.Dequeue());
        var entry = (buffer.AsSpan(0, decoded).ToArray(), decoded);
        cache[key] = entry;
        cacheOrder.Enqueue(key);
        return entry;
    }

    int Decode(int blockLeft, int blockTop, int plane)
    {
        LibTiffRuntime.ClearError();
        int decoded;
        string what;
        if (tiled)
        {
            var tile = tiff.ComputeTile(blockLeft, blockTop, 0, (short)plane);
            decoded = deflate?.Decode(tile, buffer, buffer.Length) ?? tiff.ReadEncodedTile(tile, buffer, 0, buffer.Length);
            what = $"tile {tile}";
        }
        else
        {
            var strip = tiff.ComputeStrip(blockTop, (short)plane);
            var expected = Math.Min(blockHeight, height - blockTop) * rowBytes;
            decoded = deflate?.Decode(strip, buffer, expected) ?? tiff.ReadEncodedStrip(strip, buffer, 0, buffer.Length);
            what = $"strip {strip}";
        }
        if (decoded <= 0)
            throw new RasterFormatException(path, $"cannot decode {what}: {LibTiffRuntime.LastError("no data")}");
        return decoded;
    }

    /// <summary>
    /// Compressed strips decode sequentially only: start at the top of the window's strip, unless LibTiff's last
    /// decoded row is above the window in the same strip, and skip rows up to the window.
    /// </summary>
    void ReadScanlines(PixelWindow window, int plane, RowHandler handler)
    {
        var (lastPlane, lastRow) = lastScanline;
        var resume = lastPlane == plane && lastRow < window.Y && lastRow / blockHeight == window.Y / blockHeight;
        var start = resume ? lastRow + 1 : window.Y / blockHeight * blockHeight;
        for (var row = start; row < window.Bottom; row++)
        {
            LibTiffRuntime.ClearError();
            lastScanline = (-1, -1);
            if (!tiff.ReadScanline(buffer, row, (short)plane))
                throw new RasterFormatException(path, $"cannot decode row {row}: {LibTiffRuntime.LastError("read failed")}");
            lastScanline = (plane, row);
            if (row >= window.Y) handler(plane, row, 0, buffer);
        }
    }
}
