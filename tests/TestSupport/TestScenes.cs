using System.Collections.Concurrent;
using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.TestSupport;

/// <summary>
/// Small crops of the shared real scenes (<see cref="SharedScenes"/>), so that an archive of
/// several scenes runs in seconds on two cores, and the in-process <see cref="SceneUpscaleJob"/> output of each
/// (bicubic, default options), computed once per crop and scale.
/// </summary>
public static class TestScenes
{
    static readonly string CropFolder = TemporaryFolder("sr-crops-");
    static readonly ConcurrentDictionary<string, Lazy<string>> Made = new();

    /// <summary>uint8 RGB, NEON 10 cm orthophoto.</summary>
    public static string NeonRgb => Crop("neon_BART_2019_rgb_10cm_1213x1106.tif", 256, 224);

    /// <summary>uint16, four bands, Landsat 8 30 m.</summary>
    public static string LandsatRgbnir => Crop("landsat8_UTM16N_30m_RGBNIR_627x603.tif", 200, 180);

    /// <summary>uint16, one band, Landsat 8 15 m panchromatic.</summary>
    public static string LandsatPan => Crop("landsat8_UTM16N_15m_pan_B8_1254x1207.tif", 240, 200);

    /// <summary>uint16, six bands, Sentinel-2 20 m.</summary>
    public static string Sentinel6Band => Crop("sentinel2_T18SVG_20160112_L1C_20m_6band_967x973.tif", 160, 160);

    /// <summary>The top-left <paramref name="width"/>×<paramref name="height"/> of a shared scene (same origin and pixel size).</summary>
    public static string Crop(string scene, int width, int height) => Made.GetOrAdd($"{scene}/{width}x{height}", _ => new Lazy<string>(() =>
    {
        var target = Path.Combine(CropFolder, $"{Path.GetFileNameWithoutExtension(scene)}_{width}x{height}.tif");
        using var reader = GeoTiffReader.Open(SharedScenes.Path(scene));
        var window = new PixelWindow(0, 0, Math.Min(width, reader.Info.Width), Math.Min(height, reader.Info.Height));
        using var writer = GeoTiffWriter.Create(target, reader.Info with { Width = window.Width, Height = window.Height });
        writer.Write(reader.Read(window));
        writer.Commit();
        return target;
    })).Value;

    /// <summary>What the in-process job writes for <paramref name="scene"/> at <paramref name="scale"/> (bicubic).</summary>
    public static string Reference(string scene, double scale) => Made.GetOrAdd($"{scene}@{scale}", _ => new Lazy<string>(() =>
    {
        var target = Path.Combine(CropFolder, "reference", $"{Path.GetFileNameWithoutExtension(scene)}_x{scale}.tif");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        SceneUpscaleJob.Run(scene, target, scale, new BicubicUpscaler(), new SceneUpscaleOptions());
        return target;
    })).Value;

    /// <summary>A folder deleted when the test host exits.</summary>
    public static string TemporaryFolder(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    }

    public static RasterInfo Header(string path)
    {
        using var reader = GeoTiffReader.Open(path);
        return reader.Info;
    }
}
