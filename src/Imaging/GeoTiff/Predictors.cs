using System.Runtime.InteropServices;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// TIFF predictors, row by row, exactly as libtiff applies them: horizontal differencing (predictor 2) of whole
/// samples, and the floating-point predictor (3), which splits each row into byte planes (most significant
/// first) and differences those bytes. Used where we run Deflate ourselves instead of through LibTiff.NET.
/// </summary>
internal static class Predictors
{
    public static void EncodeHorizontal(Span<byte> rows, int rowBytes, int stride, int bytesPerSample)
    {
        for (var start = 0; start < rows.Length; start += rowBytes)
        {
            var row = rows.Slice(start, rowBytes);
            if (bytesPerSample == 1) DifferenceBytes(row, stride);
            else DifferenceWords(MemoryMarshal.Cast<byte, ushort>(row), stride);
        }
    }

    public static void DecodeHorizontal(Span<byte> rows, int rowBytes, int stride, int bytesPerSample)
    {
        for (var start = 0; start + rowBytes <= rows.Length; start += rowBytes)
        {
            var row = rows.Slice(start, rowBytes);
            if (bytesPerSample == 1) AccumulateBytes(row, stride);
            else AccumulateWords(MemoryMarshal.Cast<byte, ushort>(row), stride);
        }
    }

    /// <param name="scratch">At least <paramref name="rowBytes"/> bytes of working space.</param>
    public static void EncodeFloatingPoint(Span<byte> rows, int rowBytes, int stride, Span<byte> scratch)
    {
        var samples = rowBytes / 4;
        var planes = scratch[..rowBytes];
        for (var start = 0; start < rows.Length; start += rowBytes)
        {
            var row = rows.Slice(start, rowBytes);
            // Little-endian host: byte 3 of each float (sign and exponent) goes to the first plane.
            for (var i = 0; i < samples; i++)
            {
                planes[i] = row[4 * i + 3];
                planes[samples + i] = row[4 * i + 2];
                planes[2 * samples + i] = row[4 * i + 1];
                planes[3 * samples + i] = row[4 * i];
            }
            planes.CopyTo(row);
            DifferenceBytes(row, stride);
        }
    }

    /// <param name="scratch">At least <paramref name="rowBytes"/> bytes of working space.</param>
    public static void DecodeFloatingPoint(Span<byte> rows, int rowBytes, int stride, Span<byte> scratch)
    {
        var samples = rowBytes / 4;
        var planes = scratch[..rowBytes];
        for (var start = 0; start + rowBytes <= rows.Length; start += rowBytes)
        {
            var row = rows.Slice(start, rowBytes);
            AccumulateBytes(row, stride);
            row.CopyTo(planes);
            for (var i = 0; i < samples; i++)
            {
                row[4 * i + 3] = planes[i];
                row[4 * i + 2] = planes[samples + i];
                row[4 * i + 1] = planes[2 * samples + i];
                row[4 * i] = planes[3 * samples + i];
            }
        }
    }

    static void DifferenceBytes(Span<byte> row, int stride)
    {
        for (var i = row.Length - 1; i >= stride; i--) row[i] -= row[i - stride];
    }

    static void DifferenceWords(Span<ushort> row, int stride)
    {
        for (var i = row.Length - 1; i >= stride; i--) row[i] -= row[i - stride];
    }

    static void AccumulateBytes(Span<byte> row, int stride)
    {
        for (var i = stride; i < row.Length; i++) row[i] += row[i - stride];
    }

    static void AccumulateWords(Span<ushort> row, int stride)
    {
        for (var i = stride; i < row.Length; i++) row[i] += row[i - stride];
    }
}
