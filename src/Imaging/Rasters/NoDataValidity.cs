namespace Pipeline.Imaging.Rasters;

/// <summary>Marks as invalid the pixels whose every band holds the nodata value (NaN matching NaN).</summary>
internal static class NoDataValidity
{
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
