using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.Stac;

namespace Pipeline.Client.Batch;

/// <summary>One scene of an archive run: the GeoTIFF it reads, the GeoTIFF it writes (absolute paths), the scale.</summary>
sealed record BatchScene(string Input, string Output, double Scale)
{
    /// <summary>The input's file name (a STAC item's id), for progress lines.</summary>
    public string Name =>
        StacScenePath.Is(Input) ? StacScenePath.Parse(Input).ItemId ?? Path.GetFileName(StacScenePath.Parse(Input).Location)
        : Sentinel2Product.Find(Input) is { Resolution: not "10m" } group ? $"{Path.GetFileName(group.Product.TrimEnd('/'))} {group.Resolution}"
        : Path.GetFileName(Input.TrimEnd('/'));

    /// <summary>Where an input's output goes when only a folder is given: the same relative path, as a GeoTIFF
    /// (<c>B04.jp2</c> → <c>B04.tif</c>, <c>S2A….SAFE</c> and <c>S2A….SAFE.zip</c> → <c>S2A….tif</c>; .tif and .tiff are kept).</summary>
    public static string OutputName(string relativeInput)
    {
        var trimmed = relativeInput.TrimEnd('/');
        if (trimmed.EndsWith(".SAFE.zip", StringComparison.OrdinalIgnoreCase)) trimmed = trimmed[..^4];
        return Path.GetExtension(trimmed).ToLowerInvariant() is ".tif" or ".tiff" ? trimmed : Path.ChangeExtension(trimmed, ".tif");
    }
}
