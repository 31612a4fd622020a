using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tiling;

/// <summary>One LR tile of a <see cref="TilePlan"/> and the HR pixels it produces.</summary>
/// <param name="Index">Position in <see cref="TilePlan.Tiles"/>: by swath, then row-major within it.
/// Blocks sum contributions in this order, which makes the mosaic independent of arrival order.</param>
/// <param name="Column">Tile column in the grid.</param>
/// <param name="Row">Tile row in the grid.</param>
/// <param name="LrWindow">The LR pixels to read, in scene coordinates.</param>
/// <param name="HrWindow">The HR pixels to produce, in mosaic coordinates: x0·s to floor((x0 + w)·s), whole by construction.</param>
/// <param name="WeightedWindow">The part of <see cref="HrWindow"/> where the blend weight is positive
/// (interior edge margins excluded); only output blocks meeting it receive a contribution.</param>
/// <param name="Blocks">Indices of the output blocks this tile contributes to, ascending (only those of its swath).</param>
/// <param name="Swath">The vertical band of block columns this tile is planned for; a tile column reaching two swaths
/// appears once in each, with the same windows.</param>
public sealed record PlannedTile(
    int Index, int Column, int Row, PixelWindow LrWindow, PixelWindow HrWindow, PixelWindow WeightedWindow,
    IReadOnlyList<int> Blocks, int Swath);
