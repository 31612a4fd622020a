using System.Runtime.InteropServices;

namespace Pipeline.Imaging.GdalIO;

/// <summary>
/// The few functions of GDAL's C API the reader needs, from the machine's libgdal (Debian: libgdal32). No NuGet
/// package of GDAL is in this project's feed, so the binding is ours; <see cref="IsAvailable"/> tells whether the
/// library loads, and the product works without it for TIFFs.
/// </summary>
internal static class GdalNative
{
    const string Library = "gdal";
    static readonly string[] Candidates = ["libgdal.so", "libgdal.so.36", "libgdal.so.35", "libgdal.so.34", "libgdal.so.33", "libgdal.so.32", "libgdal.so.30", "libgdal.so.28"];
    static readonly Lazy<bool> Loaded = new(Load);

    public const int OfRaster = 0x02, OfVerboseError = 0x40;
    public const int Read = 0;
    public const int TypeFloat32 = 6;

    /// <summary>True when libgdal was found and initialised (drivers registered, errors kept off stderr).</summary>
    public static bool IsAvailable => Loaded.Value;

    /// <summary>The drivers an input may be opened with: those of the formats the README promises (GeoTIFF and COG,
    /// JPEG 2000, VRT, netCDF, HDF5). Never MEM (it reads process memory from a path string), raw-file drivers or
    /// anything else GDAL happens to carry.</summary>
    public static readonly string[] InputDrivers = ["GTiff", "JP2OpenJPEG", "VRT", "netCDF", "HDF5", "HDF5Image"];

    /// <summary><see cref="InputDrivers"/> as GDAL's NULL-terminated string list, made once for the process.</summary>
    public static IntPtr InputDriverList => DriverList.Value;

    static readonly Lazy<IntPtr> DriverList = new(() =>
    {
        var list = Marshal.AllocHGlobal((InputDrivers.Length + 1) * IntPtr.Size);
        for (var i = 0; i < InputDrivers.Length; i++) Marshal.WriteIntPtr(list, i * IntPtr.Size, Marshal.StringToCoTaskMemUTF8(InputDrivers[i]));
        Marshal.WriteIntPtr(list, InputDrivers.Length * IntPtr.Size, IntPtr.Zero);
        return list;
    });

    /// <summary>Settings for opening untrusted inputs, applied before the drivers register: no plugins, no raw or Python
    /// VRT bands, and network reads that give up instead of hanging a job.</summary>
    static readonly (string Key, string Value)[] Hardening =
    [
        ("GDAL_DRIVER_PATH", "disable"),
        ("GDAL_VRT_ENABLE_RAWRASTERBAND", "NO"),
        ("GDAL_VRT_ENABLE_PYTHON", "NO"),
        ("GDAL_HTTP_CONNECTTIMEOUT", "15"),
        ("GDAL_HTTP_TIMEOUT", "60"),
        // A server that accepts and then trickles (or sends nothing) is dropped after 30 s under 1 byte/s.
        ("GDAL_HTTP_LOW_SPEED_TIME", "30"),
        ("GDAL_HTTP_LOW_SPEED_LIMIT", "1"),
    ];

    static bool Load()
    {
        IntPtr handle = IntPtr.Zero;
        foreach (var name in Candidates)
            if (NativeLibrary.TryLoad(name, out handle)) break;
        if (handle == IntPtr.Zero) return false;
        NativeLibrary.SetDllImportResolver(typeof(GdalNative).Assembly, (name, _, _) => name == Library ? handle : IntPtr.Zero);
        foreach (var (key, value) in Hardening) CPLSetConfigOption(key, value);
        RouteThrough(GdalNetwork.Gate.Address);
        GDALAllRegister();
        // Errors come back through CPLGetLastErrorMsg and become one clear line; GDAL must not print its own.
        CPLSetErrorHandler(NativeLibrary.GetExport(handle, "CPLQuietErrorHandler"));
        return true;
    }

    /// <summary>Whether libgdal has been loaded (and configured) yet, without loading it.</summary>
    public static bool IsLoaded => Loaded.IsValueCreated && Loaded.Value;

    /// <summary>Every connection of GDAL's curl through the proxy at <paramref name="address"/>. curl would still go
    /// direct to the hosts an inherited no_proxy names, so that is dropped from the process's environment.</summary>
    public static void RouteThrough(string address)
    {
        unsetenv("no_proxy");
        unsetenv("NO_PROXY");
        CPLSetConfigOption("GDAL_HTTP_PROXY", address);
    }

    public static string LastError(string fallback)
    {
        var message = Marshal.PtrToStringUTF8(CPLGetLastErrorMsg());
        return string.IsNullOrWhiteSpace(message) ? fallback : message.Trim();
    }

    public static string? Text(IntPtr text) => text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text);

    /// <summary>A NULL-terminated list of "KEY=VALUE" strings (GDAL's metadata) as a dictionary.</summary>
    public static Dictionary<string, string> KeyValues(IntPtr list)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; list != IntPtr.Zero; i++)
        {
            var item = Marshal.ReadIntPtr(list, i * IntPtr.Size);
            if (item == IntPtr.Zero) break;
            var text = Marshal.PtrToStringUTF8(item)!;
            var equals = text.IndexOf('=');
            if (equals > 0) result[text[..equals]] = text[(equals + 1)..];
        }
        return result;
    }

    [DllImport(Library)] static extern void GDALAllRegister();
    [DllImport("libc")] static extern int unsetenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport(Library)] static extern void CPLSetConfigOption([MarshalAs(UnmanagedType.LPUTF8Str)] string key, [MarshalAs(UnmanagedType.LPUTF8Str)] string value);
    [DllImport(Library)] public static extern IntPtr GDALGetDatasetDriver(IntPtr dataset);
    [DllImport(Library)] public static extern IntPtr GDALGetDriverShortName(IntPtr driver);
    [DllImport(Library)] static extern IntPtr CPLSetErrorHandler(IntPtr handler);
    [DllImport(Library)] public static extern void CPLErrorReset();
    [DllImport(Library)] static extern IntPtr CPLGetLastErrorMsg();

    [DllImport(Library)]
    public static extern IntPtr GDALOpenEx([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint flags, IntPtr drivers, IntPtr options, IntPtr siblings);

    [DllImport(Library)] public static extern void GDALClose(IntPtr dataset);
    [DllImport(Library)] public static extern int GDALGetRasterXSize(IntPtr dataset);
    [DllImport(Library)] public static extern int GDALGetRasterYSize(IntPtr dataset);
    [DllImport(Library)] public static extern int GDALGetRasterCount(IntPtr dataset);
    [DllImport(Library)] public static extern IntPtr GDALGetRasterBand(IntPtr dataset, int band);
    [DllImport(Library)] public static extern int GDALGetRasterDataType(IntPtr band);
    [DllImport(Library)] public static extern int GDALGetRasterColorInterpretation(IntPtr band);
    [DllImport(Library)] public static extern double GDALGetRasterNoDataValue(IntPtr band, out int hasNoData);
    [DllImport(Library)] public static extern int GDALGetGeoTransform(IntPtr dataset, double[] transform);
    [DllImport(Library)] public static extern IntPtr GDALGetProjectionRef(IntPtr dataset);
    [DllImport(Library)] public static extern IntPtr GDALGetDescription(IntPtr majorObject);
    [DllImport(Library)] public static extern IntPtr GDALGetMetadata(IntPtr majorObject, [MarshalAs(UnmanagedType.LPUTF8Str)] string? domain);

    [DllImport(Library)]
    public static extern IntPtr GDALGetMetadataItem(IntPtr majorObject, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string? domain);

    [DllImport(Library)]
    public static extern int GDALDatasetRasterIO(IntPtr dataset, int access, int x, int y, int width, int height, float[] buffer,
        int bufferWidth, int bufferHeight, int bufferType, int bandCount, IntPtr bandMap, int pixelSpace, int lineSpace, int bandSpace);

    // A one-pixel GeoTIFF in memory turns a CRS and geotransform into GeoTIFF keys exactly as GDAL's GTiff driver would.
    [DllImport(Library)] public static extern IntPtr GDALGetDriverByName([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport(Library)]
    public static extern IntPtr GDALCreate(IntPtr driver, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int width, int height, int bands, int type, IntPtr options);

    [DllImport(Library)] public static extern int GDALSetGeoTransform(IntPtr dataset, double[] transform);
    [DllImport(Library)] public static extern int GDALSetProjection(IntPtr dataset, [MarshalAs(UnmanagedType.LPUTF8Str)] string wkt);

    [DllImport(Library)]
    public static extern int GDALSetMetadataItem(IntPtr majorObject, [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value, [MarshalAs(UnmanagedType.LPUTF8Str)] string? domain);

    [DllImport(Library)]
    public static extern IntPtr VSIGetMemFileBuffer([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out ulong length, int unlinkAndSeize);

    [DllImport(Library)] public static extern void VSIFree(IntPtr pointer);

    [DllImport(Library)] public static extern IntPtr GDALVersionInfo([MarshalAs(UnmanagedType.LPUTF8Str)] string request);
    [DllImport(Library)] public static extern double GDALGetRasterScale(IntPtr band, out int success);
    [DllImport(Library)] public static extern double GDALGetRasterOffset(IntPtr band, out int success);

    // Spatial references, for a catalogue's footprint: the CRS's EPSG code and corners in WGS84.
    [DllImport(Library)] public static extern IntPtr OSRNewSpatialReference([MarshalAs(UnmanagedType.LPUTF8Str)] string? wkt);
    [DllImport(Library)] public static extern void OSRRelease(IntPtr reference);
    [DllImport(Library)] public static extern int OSRImportFromEPSG(IntPtr reference, int code);
    [DllImport(Library)] public static extern int OSRAutoIdentifyEPSG(IntPtr reference);
    [DllImport(Library)] public static extern IntPtr OSRGetAuthorityName(IntPtr reference, IntPtr targetKey);
    [DllImport(Library)] public static extern IntPtr OSRGetAuthorityCode(IntPtr reference, IntPtr targetKey);
    [DllImport(Library)] public static extern void OSRSetAxisMappingStrategy(IntPtr reference, int strategy);
    [DllImport(Library)] public static extern IntPtr OCTNewCoordinateTransformation(IntPtr source, IntPtr target);
    [DllImport(Library)] public static extern void OCTDestroyCoordinateTransformation(IntPtr transformation);
    [DllImport(Library)] public static extern int OCTTransform(IntPtr transformation, int count, double[] x, double[] y, double[]? z);
}
