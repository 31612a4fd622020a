using System.IO.Compression;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Converts float32 pixels to the output sample type, interleaves them into one tile and encodes it. A tile holds
/// every band (pixel-interleaved) or one band (band-interleaved, see <see cref="BandLayout"/>).
/// Deflate runs here, through libdeflate (<see cref="LibDeflate"/>) or else the runtime's native zlib, because
/// LibTiff.NET's managed Deflate is an order of magnitude slower; the predictor is applied first, exactly as LibTiff
/// would. LZW goes through LibTiff (<see cref="LzwTiles"/>). One encoder per thread: it reuses its buffers.
/// </summary>
internal sealed class TileEncoder
{
    readonly RasterSampleType type;
    readonly int samplesPerPixel;
    readonly int tileSize;
    readonly OutputCompression compression;
    readonly int rowBytes;
    readonly byte[] buffer;
    readonly byte[] predictorScratch;
    readonly MemoryStream compressed = new();
    readonly LibDeflate? libDeflate = LibDeflate.TryCreate();
    byte[] deflated = [];

    /// <summary>This thread's last encoder: a libdeflate compressor is a native allocation of hundreds of KB, which
    /// made fresh for every piece cost page faults and TLB flushes on every core (measured in docs/benchmarks.md).</summary>
    [ThreadStatic]
    static TileEncoder? threadEncoder;

    /// <summary>An encoder for the calling thread, reused while the layout stays the same. Encode with it before the
    /// thread encodes anything else.</summary>
    public static TileEncoder ForThisThread(RasterSampleType type, int bands, int tileSize, OutputCompression compression)
    {
        var encoder = threadEncoder;
        var samplesPerPixel = BandLayout.IsBandInterleaved(bands) ? 1 : bands;
        if (encoder is null || encoder.type != type || encoder.samplesPerPixel != samplesPerPixel || encoder.tileSize != tileSize || encoder.compression != compression)
            threadEncoder = encoder = new TileEncoder(type, bands, tileSize, compression);
        return encoder;
    }

    public TileEncoder(RasterSampleType type, int bands, int tileSize, OutputCompression compression)
    {
        this.type = type;
        samplesPerPixel = BandLayout.IsBandInterleaved(bands) ? 1 : bands;
        this.tileSize = tileSize;
        this.compression = compression;
        rowBytes = tileSize * samplesPerPixel * type.BytesPerSample();
        buffer = new byte[rowBytes * tileSize];
        predictorScratch = new byte[rowBytes];
    }

    /// <summary>
    /// The encoded bytes of the pixels (values as stored, <see cref="OverviewReduction.Quantize"/>) of <paramref name="tile"/> (the tile clipped to the image) taken from
    /// <paramref name="source"/>, which must contain it: all its bands, or its band <paramref name="sourceBand"/> alone
    /// when band-interleaved.
    /// </summary>
    public byte[] Encode(PixelWindow tile, RasterBlock source, int sourceBand = 0)
    {
        // Outside the image a tile is padding; zeros keep the output deterministic and compress to nothing.
        if (tile.Width < tileSize || tile.Height < tileSize) Array.Clear(buffer);
        var sourceLeft = tile.X - source.Window.X;
        var sourceTop = tile.Y - source.Window.Y;
        for (var band = 0; band < samplesPerPixel; band++)
        {
            var plane = source.Band(sourceBand + band);
            for (var y = 0; y < tile.Height; y++)
            {
                var row = plane.Slice((sourceTop + y) * source.Width + sourceLeft, tile.Width);
                SampleConversion.FromStored(row, type, buffer.AsSpan(y * rowBytes), band, samplesPerPixel);
            }
        }
        // The predictor works in place, so the buffer is rewritten for every tile.
        return compression == OutputCompression.Deflate
            ? Deflate()
            : LzwTiles.Encode(buffer, tileSize, samplesPerPixel, type);
    }

    byte[] Deflate()
    {
        if (type == RasterSampleType.Float32) Predictors.EncodeFloatingPoint(buffer, rowBytes, samplesPerPixel, predictorScratch);
        else Predictors.EncodeHorizontal(buffer, rowBytes, samplesPerPixel, type.BytesPerSample());
        if (libDeflate is not null) return libDeflate.Compress(buffer, ref deflated);
        compressed.SetLength(0);
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(buffer);
        return compressed.ToArray();
    }
}
