using System.Runtime.InteropServices;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Messages;

/// <summary>
/// The pixels of one raster window, all bands, band-sequential like <see cref="RasterBlock"/>, packed in
/// <see cref="Format"/> (little-endian). Tiles travel inside grain messages, so a payload is capped at
/// <see cref="MaxBytes"/>: well under Orleans' 100 MB message limit, past which the connection is closed.
/// Marked [Immutable] so a call between grains on one silo passes the array without copying it;
/// nothing may write to it after construction.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class TilePixels
{
    /// <summary>32 MiB: a 1024² four-band float32 tile is 16 MiB, a 2048² four-band uint16 one 32 MiB.</summary>
    public const int MaxBytes = 32 * 1024 * 1024;

    [Id(0)] readonly PixelWindow window;
    [Id(1)] readonly int bands;
    [Id(2)] readonly SampleFormat format;
    [Id(3)] readonly byte[] data;

    TilePixels(PixelWindow window, int bands, SampleFormat format, byte[] data)
    {
        this.window = window;
        this.bands = bands;
        this.format = format;
        this.data = data;
    }

    public PixelWindow Window => window;
    public int Bands => bands;
    public SampleFormat Format => format;
    public ReadOnlySpan<byte> Data => data;

    /// <summary>Bytes needed for <paramref name="bands"/> bands of <paramref name="window"/>, as a long so an
    /// absurd window cannot overflow past the size check.</summary>
    public static long ByteCount(PixelWindow window, int bands, SampleFormat format) =>
        window.Area * bands * format.BytesPerSample();

    /// <summary>Throws when a window of that many bands would not fit in one message.</summary>
    public static void EnsureFits(PixelWindow window, int bands, SampleFormat format, string paramName)
    {
        var bytes = ByteCount(window, bands, format);
        if (bytes > MaxBytes)
            throw new ArgumentException(
                $"{bands} bands of {window} as {format} take {bytes} bytes, over the {MaxBytes}-byte message limit; use smaller tiles",
                paramName);
    }

    /// <summary>Packs a block. Integer formats round to nearest (halves away from zero) and clamp to the type's
    /// range, NaN becoming 0, the way a writer stores model output in the scene's own type.</summary>
    public static TilePixels FromBlock(RasterBlock block, SampleFormat format)
    {
        ArgumentNullException.ThrowIfNull(block);
        EnsureFits(block.Window, block.Bands, format, nameof(block));
        var samples = block.Data;
        byte[] data;
        switch (format)
        {
            case SampleFormat.Float32:
                data = MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();
                break;
            case SampleFormat.UInt16:
                data = new byte[samples.Length * sizeof(ushort)];
                var words = MemoryMarshal.Cast<byte, ushort>(data.AsSpan());
                for (var i = 0; i < samples.Length; i++) words[i] = (ushort)Quantize(samples[i], ushort.MaxValue);
                break;
            case SampleFormat.UInt8:
                data = new byte[samples.Length];
                for (var i = 0; i < samples.Length; i++) data[i] = (byte)Quantize(samples[i], byte.MaxValue);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
        return new TilePixels(block.Window, block.Bands, format, data);
    }

    /// <summary>Wraps bytes already in <paramref name="format"/> (a tile read straight from the scene) without converting.</summary>
    public static TilePixels FromBytes(PixelWindow window, int bands, SampleFormat format, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (bands <= 0) throw new ArgumentOutOfRangeException(nameof(bands), bands, "a tile has at least one band");
        if (window.Width < 0 || window.Height < 0) throw new ArgumentOutOfRangeException(nameof(window));
        EnsureFits(window, bands, format, nameof(data));
        var expected = ByteCount(window, bands, format);
        if (data.Length != expected)
            throw new ArgumentException($"expected {expected} bytes for {bands} bands of {window} as {format}, got {data.Length}", nameof(data));
        return new TilePixels(window, bands, format, data);
    }

    /// <summary>Unpacks to float32 samples, exactly (float32 holds every uint8 and uint16 value).</summary>
    public RasterBlock ToBlock()
    {
        var block = new RasterBlock(window, bands);
        var samples = block.Data;
        switch (format)
        {
            case SampleFormat.Float32:
                MemoryMarshal.Cast<byte, float>(data.AsSpan()).CopyTo(samples);
                break;
            case SampleFormat.UInt16:
                var words = MemoryMarshal.Cast<byte, ushort>(data.AsSpan());
                for (var i = 0; i < samples.Length; i++) samples[i] = words[i];
                break;
            case SampleFormat.UInt8:
                for (var i = 0; i < samples.Length; i++) samples[i] = data[i];
                break;
            default:
                throw new InvalidOperationException($"unknown sample format {format}");
        }
        return block;
    }

    static float Quantize(float value, float max) =>
        float.IsNaN(value) ? 0 : Math.Clamp(MathF.Round(value, MidpointRounding.AwayFromZero), 0, max);
}
