using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging;

/// <summary>What a finished <see cref="SceneUpscaleJob"/> produced.</summary>
/// <param name="OutputPath">The complete output, in place under its final name.</param>
/// <param name="Output">Size, type and georeferencing of the output.</param>
/// <param name="Tiles">Tiles upscaled.</param>
/// <param name="OverlapOvercompute">Σ tile HR area / mosaic area − 1.</param>
/// <param name="Elapsed">Wall time, reading to rename.</param>
public sealed record SceneUpscaleResult(string OutputPath, RasterInfo Output, int Tiles, double OverlapOvercompute, TimeSpan Elapsed);
