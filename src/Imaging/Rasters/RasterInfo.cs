namespace Pipeline.Imaging.Rasters;

/// <summary>
/// What a raster is, apart from its pixels: size, bands, sample type, colour model, nodata, georeferencing and
/// GDAL metadata. A reader produces one; a writer takes one (typically the input's, <see cref="ScaledBy"/>).
/// </summary>
public sealed record RasterInfo
{
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required int Bands { get; init; }
    public required RasterSampleType SampleType { get; init; }

    /// <summary>The bands are red, green, blue (TIFF photometric RGB, or YCbCr decoded to RGB).</summary>
    public bool IsRgb { get; init; }

    /// <summary>The GDAL_NODATA value (one value for all bands), or null.</summary>
    public double? NoData { get; init; }

    /// <summary>CRS and raster-to-model mapping, or null for a plain TIFF.</summary>
    public GeoReference? Geo { get; init; }

    /// <summary>The GDAL_METADATA XML exactly as stored (band descriptions, statistics, offsets…), or null.</summary>
    public string? GdalMetadataXml { get; init; }

    /// <summary>What an output pixel with no valid source holds: the nodata value, or NaN in a floating-point scene
    /// that declares none (so a NaN input pixel stays NaN over its own footprint), or 0.</summary>
    public float FillValue => (float)(NoData ?? (SampleType == RasterSampleType.Float32 ? double.NaN : 0));

    /// <summary>Band descriptions found in <see cref="GdalMetadataXml"/>; empty strings where none is set.</summary>
    public IReadOnlyList<string> BandDescriptions => GdalMetadata.BandDescriptions(GdalMetadataXml, Bands);

    /// <summary>
    /// The same raster resampled by <paramref name="scale"/>: floor(W·scale) × floor(H·scale) pixels (with the scale as an exact fraction), pixel size
    /// divided by <paramref name="scale"/>, same corner, CRS, bands, type, nodata and metadata, less the input's pixel
    /// statistics (<see cref="GdalMetadata.WithoutStatistics"/>).
    /// </summary>
    public RasterInfo ScaledBy(double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be positive and finite");
        return this with
        {
            Width = ScaledSize(Width, scale),
            Height = ScaledSize(Height, scale),
            Geo = Geo?.Scaled(scale),
            GdalMetadataXml = GdalMetadata.WithoutStatistics(GdalMetadataXml),
        };
    }

    /// <summary>With the dataset metadata items SR_MODEL and, for a model with weights, SR_WEIGHTS_SHA256: which model
    /// made the pixels, as gdalinfo shows it.</summary>
    public RasterInfo WithModel(string model, string? weightsSha256) =>
        WithMetadataItems(weightsSha256 is null ? [("SR_MODEL", model)] : [("SR_MODEL", model), ("SR_WEIGHTS_SHA256", weightsSha256)]);

    /// <summary>With one more band for <c>--uncertainty</c> (<see cref="Consistency.UncertaintyBand"/>) when
    /// <paramref name="draws"/> is 2 or more: described, and the draw count recorded as SR_UNCERTAINTY_DRAWS.</summary>
    public RasterInfo WithUncertaintyBand(int draws) => draws < 2 ? this : this with
    {
        Bands = Bands + 1,
        GdalMetadataXml = GdalMetadata.WithBandDescription(
            GdalMetadata.WithItems(GdalMetadataXml, [("SR_UNCERTAINTY_DRAWS", draws.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            Bands, $"uncertainty: spread of {draws} draws"),
    };

    /// <summary>With these dataset metadata items set (replacing items of the same name).</summary>
    public RasterInfo WithMetadataItems(IReadOnlyList<(string Name, string Value)> items) => this with
    {
        GdalMetadataXml = GdalMetadata.WithItems(GdalMetadataXml, items),
    };

    /// <summary>Each band's GDAL scale (physical value per DN, e.g. Sentinel-2 reflectance), or null where none is set.</summary>
    public IReadOnlyList<double?> BandScales => GdalMetadata.BandScales(GdalMetadataXml, Bands);

    // The tile plan's own rule (TilePlan.OutputWidth): the file and the mosaic written into it always agree, and exact
    // fractions keep products such as 100 × 2.37 = 236.99999999999997 from losing a pixel.
    /// <exception cref="ArgumentException">The scaled size does not fit a raster (a hostile header's size, scaled).</exception>
    static int ScaledSize(int size, double scale)
    {
        var scaled = RationalScale.FromDouble(scale).HrFloor(size);
        return scaled <= int.MaxValue ? (int)scaled
            : throw new ArgumentException($"the output would be {scaled} pixels across ({size} × {scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}), more than a raster can hold");
    }
}
