using Pipeline.Grains.Jobs;
using Pipeline.Imaging;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Writing;

/// <summary>Which blocks of a plan are in the writer's file, and which strips of partly written blocks
/// (a block too large for one message arrives as several strips, identified by their first row).</summary>
public sealed class WrittenBlocks(TilePlan plan)
{
    readonly IndexSet written = new(plan.Blocks.Count);
    readonly Dictionary<int, (HashSet<int> Strips, int Rows)> partial = [];

    public bool IsWritten(int block) => written.Contains(block);

    public int[] Members() => [.. written.Members()];

    /// <summary>False when this strip (same block, same first row) was written before.</summary>
    public bool IsNewStrip(int block, PixelWindow strip)
    {
        if (!plan.Blocks[block].Window.Contains(strip))
            throw new ArgumentException($"strip {strip} lies outside block {block} {plan.Blocks[block].Window}");
        return !partial.TryGetValue(block, out var progress) || !progress.Strips.Contains(strip.Y);
    }

    /// <summary>Records the strip as written; true when it completed the block.</summary>
    public bool AddStrip(int block, PixelWindow strip)
    {
        var (strips, rows) = partial.TryGetValue(block, out var progress) ? progress : ([], 0);
        strips.Add(strip.Y);
        rows += strip.Height;
        if (rows < plan.Blocks[block].Window.Height)
        {
            partial[block] = (strips, rows);
            return false;
        }
        partial.Remove(block);
        written.Add(block);
        return true;
    }
}
