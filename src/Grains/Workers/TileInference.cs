using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Workers;

/// <summary>A model's output for one tile and the time the model took.</summary>
public sealed record TileInference(RasterBlock Hr, TimeSpan ModelTime);
