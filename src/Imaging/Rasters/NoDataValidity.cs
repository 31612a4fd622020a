namespace Pipeline.Imaging.Rasters;

/// <summary>Marks pixels that hold no data as invalid: those whose every band holds the declared nodata value (NaN
/// matching NaN), and, in floating-point scenes, those with a NaN or infinite value in any band, which no model can
/// take and which would otherwise spread over a whole tile.</summary>
internal static class NoDataValidity
{
    /// <summary>One byte per pixel of <paramref name="pixels"/>, 1 = valid; null when every pixel is valid.</summary>
    /// <param name="invalid">What the file itself says is invalid (an internal mask), applied first; may be null.</param>
    public static byte[]? Of(RasterInfo info, RasterBlock pixels, Action<byte[]>? invalid = null)
    {
        var validity = new byte[pixels.Width * pixels.Height];
        Array.Fill(validity, (byte)1);
        invalid?.Invoke(validity);
        if (info.NoData is { } noData) Clear(pixels, (float)noData, validity);
        if (info.SampleType == RasterSampleType.Float32) ClearNonFinite(pixels, validity);
        return validity.AsSpan().IndexOf((byte)0) < 0 ? null : validity;
    }

    /// <summary>Whether a scene of this kind can have invalid pixels without an internal mask.</summary>
    public static bool MayHaveInvalid(RasterInfo info) => info.NoData is not null || info.SampleType == RasterSampleType.Float32;

    public static void ClearNonFinite(RasterBlock pixels, byte[] validity)
    {
        var area = validity.Length;
        for (var band = 0; band < pixels.Bands; band++)
            for (var i = 0; i < area; i++)
                if (!float.IsFinite(pixels.Data[band * area + i])) validity[i] = 0;
    }

    public static void Clear(RasterBlock pixels, float noData, byte[] validity)
    {
        var isNaN = float.IsNaN(noData);
        var area = validity.Length;
        for (var i = 0; i < area; i++)
        {
            var allNoData = true;
            for (var band = 0; band < pixels.Bands && allNoData; band++)
            {
                var value = pixels.Data[band * area + i];
                allNoData = isNaN ? float.IsNaN(value) : value == noData;
            }
            if (allNoData) validity[i] = 0;
        }
    }
}
