namespace Pipeline.TestSupport;

/// <summary>The real scenes of the shared data (<c>../shared/data/scenes</c>, see its PROVENANCE.md), by what they are.</summary>
public static class SharedScenes
{
    public static string Folder { get; } = Repository.SharedData("scenes");

    /// <summary>File names of every real scene, relative to <see cref="Folder"/>.</summary>
    public static readonly string[] Names =
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

    public static TheoryData<string> All => new(Names);

    public static string Path(string name) => System.IO.Path.Combine(Folder, name);

    /// <summary>1254×1207, one uint16 band, Landsat 8 15 m panchromatic.</summary>
    public static string LandsatPan => Path(Names[0]);

    /// <summary>627×603, four uint16 bands, Landsat 8 30 m.</summary>
    public static string LandsatRgbnir => Path(Names[1]);

    /// <summary>1213×1106, three uint8 bands, NEON 10 cm orthophoto.</summary>
    public static string NeonRgb => Path(Names[2]);

    /// <summary>2048×2048, three uint8 bands, JPEG-compressed drone mosaic.</summary>
    public static string DroneJpeg => Path(Names[3]);

    /// <summary>967×973, six uint16 bands, Sentinel-2 20 m.</summary>
    public static string Sentinel2 => Path(Names[4]);

    /// <summary>791×718, three uint8 bands.</summary>
    public static string Landsat7 => Path(Names[6]);

    /// <summary>900×900, one uint16 band.</summary>
    public static string SpacenetPan => Path(Names[7]);
}
