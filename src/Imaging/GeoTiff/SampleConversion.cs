using System.Runtime.InteropServices;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Converts between decoded TIFF samples (native byte order, possibly interleaved) and float32 band planes.
/// Tight span loops: this is the hot path of every read and write.
/// </summary>
internal static class SampleConversion
{
    /// <summary>
    /// Reads <c>destination.Length</c> samples, every <paramref name="stride"/>-th sample of <paramref name="source"/>
    /// starting at sample <paramref name="first"/>, into floats.
    /// </summary>
    public static void ToFloat(ReadOnlySpan<byte> source, RasterSampleType type, int first, int stride, Span<float> destination)
    {
        switch (type)
        {
            case RasterSampleType.Byte:
                Gather(source, first, stride, destination);
                break;
            case RasterSampleType.UInt16:
                Gather(MemoryMarshal.Cast<byte, ushort>(source), first, stride, destination);
                break;
            case RasterSampleType.Int16:
                Gather(MemoryMarshal.Cast<byte, short>(source), first, stride, destination);
                break;
            case RasterSampleType.Float32:
                Gather(MemoryMarshal.Cast<byte, float>(source), first, stride, destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    /// <summary>
    /// Writes <paramref name="source"/> into every <paramref name="stride"/>-th sample of <paramref name="destination"/>
    /// starting at sample <paramref name="first"/>. Integer types get round-half-away-from-zero and clamping to the
    /// type's range (NaN becomes 0).
    /// </summary>
    public static void FromFloat(ReadOnlySpan<float> source, RasterSampleType type, Span<byte> destination, int first, int stride)
    {
        switch (type)
        {
            case RasterSampleType.Byte:
                ScatterRounded(source, destination, first, stride);
                break;
            case RasterSampleType.UInt16:
                ScatterRounded(source, MemoryMarshal.Cast<byte, ushort>(destination), first, stride);
                break;
            case RasterSampleType.Int16:
                ScatterRounded(source, MemoryMarshal.Cast<byte, short>(destination), first, stride);
                break;
            case RasterSampleType.Float32:
                var floats = MemoryMarshal.Cast<byte, float>(destination);
                for (int i = 0, j = first; i < source.Length; i++, j += stride) floats[j] = source[i];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    /// <summary>
    /// <see cref="FromFloat"/> for samples already rounded and clamped to the type (<see cref="OverviewReduction.Quantize"/>):
    /// a plain conversion, several times faster.
    /// </summary>
    public static void FromStored(ReadOnlySpan<float> source, RasterSampleType type, Span<byte> destination, int first, int stride)
    {
        switch (type)
        {
            case RasterSampleType.Byte:
                for (int i = 0, j = first; i < source.Length; i++, j += stride) destination[j] = (byte)source[i];
                break;
            case RasterSampleType.UInt16:
                var words = MemoryMarshal.Cast<byte, ushort>(destination);
                for (int i = 0, j = first; i < source.Length; i++, j += stride) words[j] = (ushort)source[i];
                break;
            case RasterSampleType.Int16:
                var shorts = MemoryMarshal.Cast<byte, short>(destination);
                for (int i = 0, j = first; i < source.Length; i++, j += stride) shorts[j] = (short)source[i];
                break;
            default:
                FromFloat(source, type, destination, first, stride);
                break;
        }
    }

    static void Gather(ReadOnlySpan<byte> source, int first, int stride, Span<float> destination)
    {
        for (int i = 0, j = first; i < destination.Length; i++, j += stride) destination[i] = source[j];
    }

    static void Gather(ReadOnlySpan<ushort> source, int first, int stride, Span<float> destination)
    {
        for (int i = 0, j = first; i < destination.Length; i++, j += stride) destination[i] = source[j];
    }

    static void Gather(ReadOnlySpan<short> source, int first, int stride, Span<float> destination)
    {
        for (int i = 0, j = first; i < destination.Length; i++, j += stride) destination[i] = source[j];
    }

    static void Gather(ReadOnlySpan<float> source, int first, int stride, Span<float> destination)
    {
        if (stride == 1)
        {
            source.Slice(first, destination.Length).CopyTo(destination);
            return;
        }
        for (int i = 0, j = first; i < destination.Length; i++, j += stride) destination[i] = source[j];
    }

    // floor(v + 0.5) in double is exact for every float; the int conversion saturates and maps NaN to 0.
    static int Round(float value) => (int)Math.Floor(value + 0.5d);

    static void ScatterRounded(ReadOnlySpan<float> source, Span<byte> destination, int first, int stride)
    {
        for (int i = 0, j = first; i < source.Length; i++, j += stride)
            destination[j] = (byte)Math.Clamp(Round(source[i]), byte.MinValue, byte.MaxValue);
    }

    static void ScatterRounded(ReadOnlySpan<float> source, Span<ushort> destination, int first, int stride)
    {
        for (int i = 0, j = first; i < source.Length; i++, j += stride)
            destination[j] = (ushort)Math.Clamp(Round(source[i]), ushort.MinValue, ushort.MaxValue);
    }

    static void ScatterRounded(ReadOnlySpan<float> source, Span<short> destination, int first, int stride)
    {
        for (int i = 0, j = first; i < source.Length; i++, j += stride)
            destination[j] = (short)Math.Clamp(Round(source[i]), short.MinValue, short.MaxValue);
    }
}
