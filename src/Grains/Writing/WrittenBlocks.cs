using Pipeline.Grains.Messages;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Writing;

/// <summary>Which blocks of a plan are in the writer's file, and which pieces of partly written blocks (a block
/// too large for one message arrives as several <see cref="BlockPiece"/>s, identified by corner and first band).</summary>
public sealed class WrittenBlocks(TilePlan plan, int bands)
{
    readonly IndexSet written = new(plan.Blocks.Count);
    readonly Dictionary<int, (HashSet<(int X, int Y, int FirstBand)> Pieces, long Samples)> partial = [];

    public bool IsWritten(int block) => written.Contains(block);

    public int[] Members() => [.. written.Members()];

    /// <summary>False when this piece (same block, corner and first band) was written before.</summary>
    public bool IsNewPiece(int block, PixelWindow piece, int firstBand)
    {
        if (!plan.Blocks[block].Window.Contains(piece))
            throw new ArgumentException($"piece {piece} lies outside block {block} {plan.Blocks[block].Window}");
        return !partial.TryGetValue(block, out var progress) || !progress.Pieces.Contains((piece.X, piece.Y, firstBand));
    }

    /// <summary>Records the piece as written; true when it completed the block.</summary>
    public bool AddPiece(int block, PixelWindow piece, int firstBand, int pieceBands)
    {
        var (pieces, samples) = partial.TryGetValue(block, out var progress) ? progress : ([], 0);
        pieces.Add((piece.X, piece.Y, firstBand));
        samples += piece.Area * pieceBands;
        if (samples < plan.Blocks[block].Window.Area * bands)
        {
            partial[block] = (pieces, samples);
            return false;
        }
        partial.Remove(block);
        written.Add(block);
        return true;
    }
}
