namespace Pipeline.Imaging.Rasters;

/// <summary>What a mosaic is written as: the choice a job carries from the command line to the sink that writes it
/// (<see cref="RasterSinks.Create"/>). Another output format is a value of <see cref="OutputKind"/> and a sink for it.</summary>
public sealed record OutputFormat(OutputKind Kind = OutputKind.Cog, OutputCompression Compression = OutputCompression.Deflate);

public enum OutputKind
{
    /// <summary>Cloud-Optimized GeoTIFF: tiled, with internal overviews, laid out for ranged reads.</summary>
    Cog,

    /// <summary>A tiled GeoTIFF without overviews (still laid out directories first, as a COG).</summary>
    GeoTiff,
}

/// <summary>Lossless compression of written tiles; both use a predictor (horizontal for integers, floating-point for float32).</summary>
public enum OutputCompression
{
    Deflate,
    Lzw,
}
