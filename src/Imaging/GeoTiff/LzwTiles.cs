using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// LZW-encodes one tile (with the predictor of its sample type) through LibTiff, which has the codec: the tile is
/// written into a one-tile TIFF in memory and its encoded bytes are taken back out.
/// </summary>
internal static class LzwTiles
{
    public static byte[] Encode(byte[] tile, int tileSize, int samplesPerPixel, RasterSampleType type)
    {
        LibTiffRuntime.EnsureInitialized();
        using var memory = new MemoryStream();
        using var tiff = Tiff.ClientOpen("tile", "w", memory, new TiffStream()) ?? throw new IOException("cannot start an in-memory TIFF for LZW");
        tiff.SetField(TiffTag.IMAGEWIDTH, tileSize);
        tiff.SetField(TiffTag.IMAGELENGTH, tileSize);
        tiff.SetField(TiffTag.TILEWIDTH, tileSize);
        tiff.SetField(TiffTag.TILELENGTH, tileSize);
        tiff.SetField(TiffTag.SAMPLESPERPIXEL, samplesPerPixel);
        tiff.SetField(TiffTag.BITSPERSAMPLE, type.BytesPerSample() * 8);
        tiff.SetField(TiffTag.SAMPLEFORMAT, type switch
        {
            RasterSampleType.Int16 => SampleFormat.INT,
            RasterSampleType.Float32 => SampleFormat.IEEEFP,
            _ => SampleFormat.UINT,
        });
        tiff.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
        tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
        tiff.SetField(TiffTag.COMPRESSION, Compression.LZW);
        tiff.SetField(TiffTag.PREDICTOR, type == RasterSampleType.Float32 ? Predictor.FLOATINGPOINT : Predictor.HORIZONTAL);
        LibTiffRuntime.ClearError();
        // LibTiff encodes in place (the predictor), so it gets a copy.
        if (tiff.WriteEncodedTile(0, (byte[])tile.Clone(), tile.Length) < 0)
            throw new IOException($"cannot LZW-encode a tile: {LibTiffRuntime.LastError("encode failed")}");
        // Only the header precedes the tile's bytes until the directory is written, at disposal.
        if (!tiff.FlushData()) throw new IOException($"cannot LZW-encode a tile: {LibTiffRuntime.LastError("flush failed")}");
        var count = (int)tiff.RawTileSize(0);
        return memory.GetBuffer().AsSpan((int)memory.Length - count, count).ToArray();
    }
}
