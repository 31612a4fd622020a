using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// GDAL's internal nodata mask: a later directory with NewSubfileType = mask (and not reduced resolution),
/// PhotometricInterpretation = Mask, 1 or 8 bits, the size of the image. A zero sample marks an invalid pixel.
/// It is read through its own handle so that reading it never disturbs the image directory.
/// </summary>
internal sealed class InternalMask : IDisposable
{
    readonly Tiff tiff;
    readonly TiffWindowDecoder decoder;
    readonly int bitsPerSample;

    InternalMask(Tiff tiff, TiffWindowDecoder decoder, int bitsPerSample)
    {
        this.tiff = tiff;
        this.decoder = decoder;
        this.bitsPerSample = bitsPerSample;
    }

    /// <summary>The mask of the first directory of <paramref name="path"/>, or null when it has none.</summary>
    public static InternalMask? Find(string path, int width, int height)
    {
        var tiff = TiffOpener.OpenForReading(path);
        var directories = tiff.NumberOfDirectories();
        for (short directory = 1; directory < directories; directory++)
        {
            if (!tiff.SetDirectory(directory)) break;
            var subfileType = (FileType)tiff.GetFieldDefaulted(TiffTag.SUBFILETYPE)[0].ToInt();
            var photometric = (Photometric)tiff.GetFieldDefaulted(TiffTag.PHOTOMETRIC)[0].ToInt();
            var bits = tiff.GetFieldDefaulted(TiffTag.BITSPERSAMPLE)[0].ToInt();
            if (!subfileType.HasFlag(FileType.MASK) || subfileType.HasFlag(FileType.REDUCEDIMAGE)) continue;
            if (photometric != Photometric.MASK || bits is not (1 or 8)) continue;
            if (tiff.GetField(TiffTag.IMAGEWIDTH)[0].ToInt() != width || tiff.GetField(TiffTag.IMAGELENGTH)[0].ToInt() != height) continue;
            return new InternalMask(tiff, new TiffWindowDecoder(tiff, path, width, height, planes: 1), bits);
        }
        tiff.Dispose();
        return null;
    }

    /// <summary>Sets <paramref name="validity"/> (one byte per pixel of <paramref name="window"/>) to 0 where the mask is 0.</summary>
    public void ClearInvalid(PixelWindow window, byte[] validity)
    {
        decoder.ForEachRow(window, (_, row, blockColumn, rowBytes) =>
        {
            var target = validity.AsSpan((row - window.Y) * window.Width, window.Width);
            var first = Math.Max(window.X, blockColumn);
            var end = Math.Min(window.Right, blockColumn + rowBytes.Length * 8 / bitsPerSample);
            for (var x = first; x < end; x++)
            {
                var column = x - blockColumn;
                var masked = bitsPerSample == 1
                    ? (rowBytes[column >> 3] & (0x80 >> (column & 7))) != 0
                    : rowBytes[column] != 0;
                if (!masked) target[x - window.X] = 0;
            }
        });
    }

    public void Dispose() => tiff.Dispose();
}
