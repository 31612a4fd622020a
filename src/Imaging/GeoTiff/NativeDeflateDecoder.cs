using System.IO.Compression;
using BitMiracle.LibTiff.Classic;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Decodes Deflate tiles and strips with libdeflate, or the runtime's native zlib where libdeflate declines (LibTiff.NET's
/// managed inflate is several times slower), then undoes the predictor as LibTiff would. Only for little-endian files,
/// where the decoded bytes are already in native order.
/// </summary>
internal sealed class NativeDeflateDecoder
{
    readonly Tiff tiff;
    readonly bool tiled;
    readonly Predictor predictor;
    readonly int stride;
    readonly int bytesPerSample;
    readonly int rowBytes;
    readonly byte[] predictorScratch;
    readonly LibInflate? inflate = LibInflate.TryCreate();
    byte[] raw = [];

    NativeDeflateDecoder(Tiff tiff, Predictor predictor, int stride, int bytesPerSample, int rowBytes)
    {
        this.tiff = tiff;
        tiled = tiff.IsTiled();
        this.predictor = predictor;
        this.stride = stride;
        this.bytesPerSample = bytesPerSample;
        this.rowBytes = rowBytes;
        predictorScratch = new byte[rowBytes];
    }

    /// <summary>A decoder for the current directory, or null when LibTiff must decode it (other codecs, big-endian files…).</summary>
    public static NativeDeflateDecoder? TryCreate(Tiff tiff, int rowBytes)
    {
        var compression = (Compression)tiff.GetFieldDefaulted(TiffTag.COMPRESSION)[0].ToInt();
        if (compression is not (Compression.ADOBE_DEFLATE or Compression.DEFLATE) || tiff.IsBigEndian()) return null;
        var predictor = (Predictor)(tiff.GetField(TiffTag.PREDICTOR)?[0].ToInt() ?? (int)Predictor.NONE);
        var bits = tiff.GetFieldDefaulted(TiffTag.BITSPERSAMPLE)[0].ToInt();
        var samplesPerPixel = tiff.GetFieldDefaulted(TiffTag.SAMPLESPERPIXEL)[0].ToInt();
        var planar = (PlanarConfig)tiff.GetFieldDefaulted(TiffTag.PLANARCONFIG)[0].ToInt() == PlanarConfig.SEPARATE;
        var supported = predictor switch
        {
            Predictor.NONE => true,
            Predictor.HORIZONTAL => bits is 8 or 16,
            Predictor.FLOATINGPOINT => bits == 32,
            _ => false,
        };
        return supported ? new NativeDeflateDecoder(tiff, predictor, planar ? 1 : samplesPerPixel, bits / 8, rowBytes) : null;
    }

    /// <summary>
    /// Decodes tile or strip <paramref name="index"/> into <paramref name="target"/>; returns the decoded byte count,
    /// or -1 when LibTiff could not read the compressed bytes (the reason is in <see cref="LibTiffRuntime.LastError"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The compressed data is corrupt or too short.</exception>
    public int Decode(int index, byte[] target, int expectedBytes)
    {
        var size = (int)(tiled ? tiff.RawTileSize(index) : tiff.RawStripSize(index));
        if (size <= 0) return -1;
        if (raw.Length < size) raw = new byte[size];
        var read = tiled ? tiff.ReadRawTile(index, raw, 0, size) : tiff.ReadRawStrip(index, raw, 0, size);
        if (read <= 0) return -1;
        int decoded;
        if (inflate is not null && inflate.TryDecompress(raw.AsSpan(0, read), target.AsSpan(0, expectedBytes)))
            decoded = expectedBytes;
        else
            using (var zlib = new ZLibStream(new MemoryStream(raw, 0, read), CompressionMode.Decompress))
                decoded = zlib.ReadAtLeast(target.AsSpan(0, expectedBytes), expectedBytes, throwOnEndOfStream: false);
        if (decoded < expectedBytes) throw new InvalidDataException($"Deflate data of {(tiled ? "tile" : "strip")} {index} ends after {decoded} of {expectedBytes} bytes");
        var rows = target.AsSpan(0, decoded);
        if (predictor == Predictor.HORIZONTAL) Predictors.DecodeHorizontal(rows, rowBytes, stride, bytesPerSample);
        else if (predictor == Predictor.FLOATINGPOINT) Predictors.DecodeFloatingPoint(rows, rowBytes, stride, predictorScratch);
        return decoded;
    }
}
