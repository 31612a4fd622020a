namespace Pipeline.Imaging.Rasters;

/// <summary>
/// Readers of one grid read as the bands of one scene, in order (a Sentinel-2 product's band files, a STAC item's
/// assets): each reader's bands follow the previous reader's; pixels are valid by the stack's own nodata.
/// Disposing disposes them all.
/// </summary>
public sealed class BandStack : IRasterReader
{
    readonly IReadOnlyList<IRasterReader> readers;

    /// <param name="info">The stack's description: the first reader's grid with <see cref="RasterInfo.Bands"/> the sum.</param>
    /// <param name="name">How a reader is named when it is not on the others' grid.</param>
    /// <exception cref="RasterFormatException">A reader's size, sample type or geotransform differs from the first's.</exception>
    public BandStack(string path, RasterInfo info, IReadOnlyList<IRasterReader> readers, Func<int, string> name)
    {
        var first = readers[0].Info;
        for (var i = 1; i < readers.Count; i++)
        {
            var other = readers[i].Info;
            if (other.Width != first.Width || other.Height != first.Height || other.SampleType != first.SampleType
                || !(other.Geo?.GeoTransform ?? []).SequenceEqual(first.Geo?.GeoTransform ?? []))
                throw new RasterFormatException(path, $"{name(i)} ({Describe(other)}) is not on the grid of {name(0)} ({Describe(first)}); choose bands of one grid");
        }
        Path = path;
        Info = info with { Bands = readers.Sum(r => r.Info.Bands) };
        this.readers = readers;
    }

    public string Path { get; }

    public RasterInfo Info { get; }

    public RasterBlock Read(PixelWindow window)
    {
        var block = new RasterBlock(window, Info.Bands);
        var band = 0;
        foreach (var reader in readers)
        {
            var part = reader.Read(window);
            for (var b = 0; b < part.Bands; b++) part.Band(b).CopyTo(block.Band(band++));
        }
        return block;
    }

    /// <summary>By the stack's nodata (and non-finite floats), as one scene: a pixel whose every band holds it.</summary>
    public byte[]? ReadValidity(PixelWindow window, RasterBlock? pixels = null) => NoDataValidity.Of(Info, pixels ?? Read(window));

    public void Dispose()
    {
        foreach (var reader in readers) reader.Dispose();
    }

    static string Describe(RasterInfo info) =>
        $"{info.Width}x{info.Height} {info.SampleType}" + (info.Geo?.GeoTransform is { } g ? FormattableString.Invariant($", {g[1]:G6} per pixel") : "");
}
