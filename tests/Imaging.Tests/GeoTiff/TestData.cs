namespace Pipeline.Imaging.Tests.GeoTiff;

/// <summary>Locations of the shared real scenes, and scratch folders for generated files.</summary>
internal static class TestData
{
    public static readonly string RepoRoot = FindRepoRoot();

    public static readonly string ScenesFolder = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "scenes"));

    /// <summary>File names of every real scene, relative to <see cref="ScenesFolder"/>.</summary>
    public static readonly string[] SceneNames =
    [
        "landsat8_UTM16N_15m_pan_B8_1254x1207.tif",
        "landsat8_UTM16N_30m_RGBNIR_627x603.tif",
        "neon_BART_2019_rgb_10cm_1213x1106.tif",
        "oam_drone_rgb_10cm_2048x2048.tif",
        "sentinel2_T18SVG_20160112_L1C_20m_6band_967x973.tif",
        "extra/cbers2_ccd_rgb342_falsecolor_20m_875x1009.tif",
        "extra/landsat7_RGB.byte_791x718.tif",
        "extra/spacenet_sample_pan_0p5m_900x900.tif",
    ];

    public static TheoryData<string> Scenes => new(SceneNames);

    public static string Scene(string name) => Path.Combine(ScenesFolder, name);

    public static string Rgbnir => Scene("landsat8_UTM16N_30m_RGBNIR_627x603.tif");
    public static string Sentinel2 => Scene("sentinel2_T18SVG_20160112_L1C_20m_6band_967x973.tif");
    public static string NeonRgb => Scene("neon_BART_2019_rgb_10cm_1213x1106.tif");
    public static string DroneJpeg => Scene("oam_drone_rgb_10cm_2048x2048.tif");
    public static string Landsat7 => Scene("extra/landsat7_RGB.byte_791x718.tif");
    public static string SpacenetPan => Scene("extra/spacenet_sample_pan_0p5m_900x900.tif");

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Pipeline.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "geotiff-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover scratch folder must not fail a test.
        }
    }
}
