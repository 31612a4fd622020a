using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tiling;

/// <summary>
/// What one tile adds to one output block: over <see cref="Window"/> (the intersection of the tile's weighted window
/// with the block, in mosaic coordinates) the weighted samples w·x of every band and the weights w, float32.
/// Plain data with a public constructor so it can cross a grain boundary; at most (bands + 1) × block area floats.
/// </summary>
/// <param name="TileIndex">The contributing tile, <see cref="PlannedTile.Index"/>.</param>
/// <param name="BlockIndex">The receiving block, <see cref="OutputBlock.Index"/>.</param>
/// <param name="Window">HR pixels covered, in mosaic coordinates.</param>
/// <param name="Bands">Number of bands in <see cref="WeightedSums"/>.</param>
/// <param name="WeightedSums">w·x, band-sequential like <see cref="RasterBlock.Data"/> over <see cref="Window"/>.</param>
/// <param name="Weights">w over <see cref="Window"/>, row-major; shared by all bands.</param>
public sealed record TileContribution(int TileIndex, int BlockIndex, PixelWindow Window, int Bands, float[] WeightedSums, float[] Weights)
{
    /// <summary>Throws unless the arrays match <see cref="Window"/> and <see cref="Bands"/>.</summary>
    public void EnsureConsistent()
    {
        if (Window.IsEmpty) throw new ArgumentException($"contribution of tile {TileIndex} to block {BlockIndex} has an empty window");
        if (Bands < 1) throw new ArgumentException($"contribution of tile {TileIndex} to block {BlockIndex} has {Bands} bands");
        if (Weights.Length != Window.Area || WeightedSums.LongLength != Bands * Window.Area)
            throw new ArgumentException(
                $"contribution of tile {TileIndex} to block {BlockIndex}: {Weights.Length} weights and {WeightedSums.Length} sums " +
                $"do not fit {Bands} bands of {Window}");
    }
}
