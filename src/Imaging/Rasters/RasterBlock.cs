namespace Pipeline.Imaging.Rasters;

/// <summary>
/// Pixels of one window of a raster, all bands, as float32 in band-sequential order:
/// sample (band b, column x, row y) of the window is at <c>Data[(b * Height + y) * Width + x]</c>.
/// Float32 holds every uint8 and uint16 value exactly, so reading and writing back at scale 1 is lossless.
/// </summary>
public sealed class RasterBlock
{
    public RasterBlock(PixelWindow window, int bands, float[]? data = null)
    {
        if (window.Width < 0 || window.Height < 0) throw new ArgumentOutOfRangeException(nameof(window));
        if (bands <= 0) throw new ArgumentOutOfRangeException(nameof(bands));
        Window = window;
        Bands = bands;
        var length = checked(bands * window.Width * window.Height);
        if (data is not null && data.Length != length)
            throw new ArgumentException($"expected {length} samples for {bands} bands of {window}, got {data.Length}", nameof(data));
        Data = data ?? new float[length];
    }

    public PixelWindow Window { get; }
    public int Bands { get; }
    public int Width => Window.Width;
    public int Height => Window.Height;
    public float[] Data { get; }

    /// <summary>Index into <see cref="Data"/> of a sample, in window-local coordinates.</summary>
    public int IndexOf(int band, int x, int y) => (band * Height + y) * Width + x;

    public float this[int band, int x, int y]
    {
        get => Data[IndexOf(band, x, y)];
        set => Data[IndexOf(band, x, y)] = value;
    }

    /// <summary>The plane of one band as a span.</summary>
    public Span<float> Band(int band) => Data.AsSpan(band * Width * Height, Width * Height);
}
