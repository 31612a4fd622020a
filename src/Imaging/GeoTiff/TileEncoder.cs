using BitMiracle.LibTiff.Classic;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>Converts float32 pixels to the output sample type, interleaves them into one tile and encodes it.</summary>
internal sealed class TileEncoder
{
    readonly RasterSampleType type;
    readonly int bands;
    readonly int tileSize;
    readonly int rowBytes;
    readonly byte[] buffer;

    public TileEncoder(RasterSampleType type, int bands, int tileSize)
    {
        this.type = type;
        this.bands = bands;
        this.tileSize = tileSize;
        rowBytes = tileSize * bands * type.BytesPerSample();
        buffer = new byte[rowBytes * tileSize];
    }

    /// <summary>
    /// Encodes the pixels of <paramref name="tile"/> (the tile clipped to the image) taken from <paramref name="source"/>,
    /// which must contain it, as tile number <paramref name="index"/>.
    /// </summary>
    /// <exception cref="IOException">LibTiff could not write the tile (disk full, I/O error).</exception>
    public void Encode(Tiff tiff, string path, int index, PixelWindow tile, RasterBlock source)
    {
        // Outside the image a tile is padding; zeros keep the output deterministic and compress to nothing.
        if (tile.Width < tileSize || tile.Height < tileSize) Array.Clear(buffer);
        var sourceLeft = tile.X - source.Window.X;
        var sourceTop = tile.Y - source.Window.Y;
        for (var band = 0; band < bands; band++)
        {
            var plane = source.Band(band);
            for (var y = 0; y < tile.Height; y++)
            {
                var row = plane.Slice((sourceTop + y) * source.Width + sourceLeft, tile.Width);
                SampleConversion.FromFloat(row, type, buffer.AsSpan(y * rowBytes), band, bands);
            }
        }
        LibTiffRuntime.ClearError();
        // LibTiff may apply the predictor in place, so the buffer is rewritten for every tile.
        if (tiff.WriteEncodedTile(index, buffer, buffer.Length) < 0)
            throw new IOException($"{path}: cannot write tile {index}: {LibTiffRuntime.LastError("write failed")}");
    }
}
