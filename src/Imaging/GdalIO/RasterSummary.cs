using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GdalIO;

/// <summary>One band of a <see cref="RasterSummary"/>: its STAC data type name and what GDAL declares for it.</summary>
public sealed record BandSummary(string DataType, double? NoData, double? Scale, double? Offset, string Description);

/// <summary>
/// What a catalogue entry says about a raster file, read through GDAL: size, bands, dataset metadata, and where it
/// lies: its CRS (EPSG code where one matches, else WKT), native bounds, and its outline and bounds in WGS84
/// longitude/latitude (its corners; the bounds from the edges sampled, so a projected scene's curved outline is bounded).
/// </summary>
public sealed record RasterSummary(
    int Width, int Height, IReadOnlyList<BandSummary> Bands, IReadOnlyDictionary<string, string> Metadata,
    double[]? GeoTransform, string? Wkt, int? Epsg, double[]? NativeBbox, double[][]? Wgs84Outline, double[]? Wgs84Bbox)
{
    /// <summary>The GDAL release that reads it ("3.6.2").</summary>
    public static string GdalVersion => GdalNative.IsAvailable ? GdalNative.Text(GdalNative.GDALVersionInfo("RELEASE_NAME")) ?? "unknown" : "none";

    const int Wgs84 = 4326;
    const int TraditionalGisOrder = 0;
    const int SamplesPerEdge = 16;

    /// <exception cref="RasterFormatException">GDAL is missing or cannot open the file.</exception>
    public static RasterSummary Read(string path)
    {
        if (!GdalNative.IsAvailable) throw new RasterFormatException(path, "GDAL (libgdal) is not installed, and a catalogue entry needs it");
        GdalNative.CPLErrorReset();
        var dataset = GdalNative.GDALOpenEx(path, GdalNative.OfRaster | GdalNative.OfVerboseError, GdalNative.InputDriverList, IntPtr.Zero, IntPtr.Zero);
        if (dataset == IntPtr.Zero) throw new RasterFormatException(path, GdalNative.LastError("GDAL cannot open it"));
        try
        {
            var (width, height) = (GdalNative.GDALGetRasterXSize(dataset), GdalNative.GDALGetRasterYSize(dataset));
            var bands = Enumerable.Range(1, GdalNative.GDALGetRasterCount(dataset)).Select(i => Band(GdalNative.GDALGetRasterBand(dataset, i))).ToList();
            var metadata = GdalNative.KeyValues(GdalNative.GDALGetMetadata(dataset, null));
            var transform = new double[6];
            var georeferenced = GdalNative.GDALGetGeoTransform(dataset, transform) == 0 && transform.All(double.IsFinite);
            var wkt = GdalNative.Text(GdalNative.GDALGetProjectionRef(dataset));
            if (!georeferenced || string.IsNullOrEmpty(wkt))
                return new RasterSummary(width, height, bands, metadata, georeferenced ? transform : null, null, null, null, null, null);
            var edge = Edge(transform, width, height);
            var native = Bounds(edge.Select(p => p[0]), edge.Select(p => p[1]));
            var (epsg, lonLat) = Locate(wkt, edge);
            // The outline is the four corners, counterclockwise as GeoJSON wants (top-left, bottom-left, bottom-right,
            // top-right, top-left for a north-up raster); the bounds come from every sampled edge point.
            double[][]? outline = lonLat is null ? null : [lonLat[0], lonLat[3 * SamplesPerEdge], lonLat[2 * SamplesPerEdge], lonLat[SamplesPerEdge], lonLat[0]];
            return new RasterSummary(width, height, bands, metadata, transform, wkt, epsg, native, outline,
                lonLat is null ? null : Bounds(lonLat.Select(p => p[0]), lonLat.Select(p => p[1])));
        }
        finally
        {
            GdalNative.GDALClose(dataset);
        }
    }

    static BandSummary Band(IntPtr band)
    {
        var noData = GdalNative.GDALGetRasterNoDataValue(band, out var hasNoData);
        var scale = GdalNative.GDALGetRasterScale(band, out var hasScale);
        var offset = GdalNative.GDALGetRasterOffset(band, out var hasOffset);
        var type = GdalNative.GDALGetRasterDataType(band) switch
        {
            1 => "uint8", 2 => "uint16", 3 => "int16", 4 => "uint32", 5 => "int32", 6 => "float32", 7 => "float64", _ => "other",
        };
        return new BandSummary(type, hasNoData != 0 ? noData : null, hasScale != 0 && scale != 1 ? scale : null, hasOffset != 0 && offset != 0 ? offset : null,
            GdalNative.Text(GdalNative.GDALGetDescription(band)) ?? "");
    }

    /// <summary>The raster's outline in its own CRS, clockwise from the top-left corner, <see cref="SamplesPerEdge"/>
    /// points per edge, closed.</summary>
    static double[][] Edge(double[] g, int width, int height)
    {
        var points = new List<double[]>();
        void Add(double col, double row) => points.Add([g[0] + col * g[1] + row * g[2], g[3] + col * g[4] + row * g[5]]);
        for (var i = 0; i < SamplesPerEdge; i++) Add(width * (double)i / SamplesPerEdge, 0);
        for (var i = 0; i < SamplesPerEdge; i++) Add(width, height * (double)i / SamplesPerEdge);
        for (var i = 0; i < SamplesPerEdge; i++) Add(width * (1 - (double)i / SamplesPerEdge), height);
        for (var i = 0; i < SamplesPerEdge; i++) Add(0, height * (1 - (double)i / SamplesPerEdge));
        points.Add(points[0]);
        return [.. points];
    }

    /// <summary>The CRS's EPSG code (where GDAL identifies one) and <paramref name="edge"/> in WGS84 lon/lat.</summary>
    static (int? Epsg, double[][]? Outline) Locate(string wkt, double[][] edge)
    {
        var source = GdalNative.OSRNewSpatialReference(wkt);
        var target = GdalNative.OSRNewSpatialReference(null);
        var transformation = IntPtr.Zero;
        try
        {
            if (source == IntPtr.Zero) return (null, null);
            GdalNative.OSRAutoIdentifyEPSG(source);
            int? epsg = GdalNative.Text(GdalNative.OSRGetAuthorityName(source, IntPtr.Zero)) == "EPSG"
                && int.TryParse(GdalNative.Text(GdalNative.OSRGetAuthorityCode(source, IntPtr.Zero)), out var code) ? code : null;
            GdalNative.OSRImportFromEPSG(target, Wgs84);
            GdalNative.OSRSetAxisMappingStrategy(source, TraditionalGisOrder);
            GdalNative.OSRSetAxisMappingStrategy(target, TraditionalGisOrder);
            transformation = GdalNative.OCTNewCoordinateTransformation(source, target);
            if (transformation == IntPtr.Zero) return (epsg, null);
            var x = edge.Select(p => p[0]).ToArray();
            var y = edge.Select(p => p[1]).ToArray();
            if (GdalNative.OCTTransform(transformation, x.Length, x, y, null) == 0 || x.Concat(y).Any(v => !double.IsFinite(v))) return (epsg, null);
            return (epsg, [.. x.Zip(y, (lon, lat) => new[] { lon, lat })]);
        }
        finally
        {
            if (transformation != IntPtr.Zero) GdalNative.OCTDestroyCoordinateTransformation(transformation);
            if (source != IntPtr.Zero) GdalNative.OSRRelease(source);
            GdalNative.OSRRelease(target);
        }
    }

    static double[] Bounds(IEnumerable<double> xs, IEnumerable<double> ys) => [xs.Min(), ys.Min(), xs.Max(), ys.Max()];
}
