namespace Pipeline.Imaging.GeoTiff;

/// <summary>Lossless compression of written tiles; both use a predictor (horizontal for integers, floating-point for float32).</summary>
public enum GeoTiffCompression
{
    Deflate,
    Lzw,
}
