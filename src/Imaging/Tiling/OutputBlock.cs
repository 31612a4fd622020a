using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tiling;

/// <summary>One square block of the HR mosaic (clipped at the mosaic edge): the unit a stitching grain owns
/// and the GeoTIFF writer writes.</summary>
/// <param name="Index">Position in <see cref="TilePlan.Blocks"/>: row-major, <c>Row * BlockColumns + Column</c>.</param>
/// <param name="Column">Block column.</param>
/// <param name="Row">Block row.</param>
/// <param name="Window">HR pixels of the block in mosaic coordinates.</param>
/// <param name="Contributors">Indices of the tiles whose weighted window meets this block, ascending: exactly the
/// contributions the block waits for before it can be finished.</param>
public sealed record OutputBlock(int Index, int Column, int Row, PixelWindow Window, IReadOnlyList<int> Contributors);
