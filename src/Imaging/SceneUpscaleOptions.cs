using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging;

/// <summary>Tiling, output format and parallelism of a <see cref="SceneUpscaleJob"/>.</summary>
public sealed record SceneUpscaleOptions
{
    /// <summary>Null: the upscaler's own (<see cref="TilingOptions.For"/>), as a cluster job's default.</summary>
    public TilingOptions? Tiling { get; init; }
    public OutputFormat Output { get; init; } = new();

    /// <summary>Tiles upscaled at once. A model that parallelises internally (torch) wants 1.</summary>
    public int MaxParallelTiles { get; init; } = Environment.ProcessorCount;
}
