namespace Pipeline.Imaging.Rasters;

/// <summary>
/// Georeferencing of a GeoTIFF as stored in its tags: the CRS (GeoKeyDirectory, GeoDoubleParams, GeoAsciiParams,
/// carried verbatim) and the raster-to-model mapping (ModelTransformation, or ModelTiepoint with ModelPixelScale).
/// Raster coordinates follow the file's GTRasterTypeGeoKey: for PixelIsPoint, raster (0, 0) is the centre of
/// the first pixel; for PixelIsArea (the default), its upper-left corner.
/// </summary>
public sealed class GeoReference
{
    const ushort RasterTypeKey = 1025;
    const ushort RasterPixelIsPoint = 2;

    internal GeoReference(ushort[]? geoKeyDirectory, double[]? geoDoubleParams, string? geoAsciiParams,
        double[]? pixelScale, double[]? tiepoints, double[]? transformation)
    {
        GeoKeyDirectory = geoKeyDirectory;
        GeoDoubleParams = geoDoubleParams;
        GeoAsciiParams = geoAsciiParams;
        PixelScale = pixelScale;
        Tiepoints = tiepoints;
        Transformation = transformation;
        IsPixelIsPoint = ReadShortKey(geoKeyDirectory, RasterTypeKey) == RasterPixelIsPoint;
    }

    internal ushort[]? GeoKeyDirectory { get; }
    internal double[]? GeoDoubleParams { get; }
    internal string? GeoAsciiParams { get; }
    internal double[]? PixelScale { get; }
    internal double[]? Tiepoints { get; }
    internal double[]? Transformation { get; }

    /// <summary>Why the raster-to-model mapping is unusable (GDAL calls such files corrupt), or null: a pixel size
    /// that is zero or not finite, or a tiepoint or transformation value that is not finite. Copying it would put
    /// the same broken georeferencing in the output.</summary>
    public string? Problem =>
        PixelScale is { Length: >= 2 } scale && !(double.IsFinite(scale[0]) && double.IsFinite(scale[1]) && scale[0] != 0 && scale[1] != 0)
            ? FormattableString.Invariant($"ModelPixelScale ({scale[0]}, {scale[1]}) is not a finite non-zero pixel size")
            : Tiepoints is { } ties && ties.Any(v => !double.IsFinite(v)) ? "ModelTiepoint holds a value that is not finite"
            : Transformation is { } t && t.Any(v => !double.IsFinite(v)) ? "ModelTransformation holds a value that is not finite"
            : null;

    /// <summary>True when GTRasterTypeGeoKey says PixelIsPoint (GDAL's AREA_OR_POINT=Point).</summary>
    public bool IsPixelIsPoint { get; }

    /// <summary>
    /// The affine transform in GDAL's convention (x = g0 + col·g1 + row·g2, y = g3 + col·g4 + row·g5, with
    /// col/row at pixel corners), or null when the file has only ground control points or no mapping.
    /// </summary>
    public double[]? GeoTransform
    {
        get
        {
            var centre = IsPixelIsPoint ? 0.5 : 0.0;
            if (Transformation is { Length: >= 16 } m)
            {
                return
                [
                    m[3] - (m[0] + m[1]) * centre, m[0], m[1],
                    m[7] - (m[4] + m[5]) * centre, m[4], m[5],
                ];
            }
            if (PixelScale is { Length: >= 2 } s && Tiepoints is { Length: 6 } t)
            {
                return [t[3] - (t[0] + centre) * s[0], s[0], 0, t[4] + (t[1] + centre) * s[1], 0, -s[1]];
            }
            return null;
        }
    }

    /// <summary>
    /// The georeferencing of this raster resampled by <paramref name="scale"/>: same CRS and same outer corner,
    /// pixels <paramref name="scale"/> times smaller. Raster coordinate u (in corner units) becomes u·scale, so
    /// for PixelIsPoint the reference pixel centre moves by half a new pixel relative to the corner.
    /// </summary>
    public GeoReference Scaled(double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be positive and finite");
        var centre = IsPixelIsPoint ? 0.5 : 0.0;
        double ToScaledRaster(double raster) => (raster + centre) * scale - centre;

        double[]? transformation = null, pixelScale = null, tiepoints = null;
        if (Transformation is { Length: >= 16 } m)
        {
            // model = L·i + T with i = u − c; in new raster units i' = u·s − c, so L' = L/s and T' = T + L·(c/s − c).
            transformation = (double[])m.Clone();
            var shift = centre / scale - centre;
            for (var row = 0; row < 3; row++)
            {
                transformation[row * 4 + 3] += (m[row * 4] + m[row * 4 + 1]) * shift;
                transformation[row * 4] /= scale;
                transformation[row * 4 + 1] /= scale;
            }
        }
        if (PixelScale is { Length: >= 2 } s)
        {
            pixelScale = (double[])s.Clone();
            pixelScale[0] /= scale;
            pixelScale[1] /= scale;
        }
        if (Tiepoints is { } t)
        {
            tiepoints = (double[])t.Clone();
            for (var i = 0; i + 5 < tiepoints.Length; i += 6)
            {
                tiepoints[i] = ToScaledRaster(t[i]);
                tiepoints[i + 1] = ToScaledRaster(t[i + 1]);
            }
            if (pixelScale is not null && tiepoints.Length == 6)
            {
                // Re-anchor the single tiepoint at raster (0, 0): some readers ignore its raster coordinates.
                tiepoints[3] -= tiepoints[0] * pixelScale[0];
                tiepoints[4] += tiepoints[1] * pixelScale[1];
                tiepoints[0] = tiepoints[1] = 0;
            }
        }
        return new GeoReference(GeoKeyDirectory, GeoDoubleParams, GeoAsciiParams, pixelScale, tiepoints, transformation);
    }

    /// <summary>A SHORT-valued key stored inline in the GeoKeyDirectory (header of 4 shorts, then 4 per key).</summary>
    static ushort? ReadShortKey(ushort[]? directory, ushort key)
    {
        if (directory is null || directory.Length < 4) return null;
        for (var i = 4; i + 3 < directory.Length && (i - 4) / 4 < directory[3]; i += 4)
        {
            if (directory[i] == key && directory[i + 1] == 0) return directory[i + 3];
        }
        return null;
    }
}
