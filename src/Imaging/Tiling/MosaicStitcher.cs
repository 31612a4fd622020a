using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tiling;

/// <summary>
/// In-process stitching for the local path and tests: takes whole tile outputs (from any thread, in any order, with
/// retries) and hands back each output block as soon as its last contribution is in. A block's accumulator exists
/// only between its first contribution and its completion, so memory follows the blocks in flight, not the mosaic.
/// </summary>
public sealed class MosaicStitcher
{
    readonly BlockSlot[] slots;
    int finishedCount;

    /// <param name="plan">The plan the tiles come from.</param>
    /// <param name="bands">Bands of every tile output.</param>
    /// <param name="nodata">Output value where no valid sample has weight.</param>
    public MosaicStitcher(TilePlan plan, int bands, float nodata)
    {
        if (bands < 1) throw new ArgumentOutOfRangeException(nameof(bands), bands, "need at least one band");
        Plan = plan;
        Bands = bands;
        Nodata = nodata;
        slots = new BlockSlot[plan.Blocks.Count];
        for (var i = 0; i < slots.Length; i++) slots[i] = new BlockSlot();
    }

    /// <summary>The plan the tiles come from.</summary>
    public TilePlan Plan { get; }

    /// <summary>Bands of every tile output.</summary>
    public int Bands { get; }

    /// <summary>Output value where no valid sample has weight.</summary>
    public float Nodata { get; }

    /// <summary>Blocks returned so far.</summary>
    public int FinishedBlockCount => Volatile.Read(ref finishedCount);

    /// <summary>Every block of the plan has been returned.</summary>
    public bool IsComplete => FinishedBlockCount == slots.Length;

    /// <summary>Blends one tile's HR output in and returns the blocks it completed (possibly none). A tile sent
    /// again is ignored. Thread-safe.</summary>
    /// <param name="tileIndex">Index of the tile in <see cref="TilePlan.Tiles"/>.</param>
    /// <param name="hrTile">The upscaler's output over the tile's <see cref="PlannedTile.HrWindow"/>.</param>
    /// <param name="lrValidity">Optional validity of the tile's LR pixels (0 = nodata), row-major over its LR window.</param>
    public IReadOnlyList<RasterBlock> AddTile(int tileIndex, RasterBlock hrTile, byte[]? lrValidity = null)
    {
        if (hrTile.Bands != Bands)
            throw new ArgumentException($"tile {tileIndex} has {hrTile.Bands} bands, the mosaic {Bands}", nameof(hrTile));
        var finished = new List<RasterBlock>();
        foreach (var contribution in ContributionBuilder.Build(Plan, tileIndex, hrTile, lrValidity))
            if (Add(contribution) is { } block) finished.Add(block);
        return finished;
    }

    /// <summary>Adds one contribution (as a stitching grain would receive it); returns its block if this completed it.</summary>
    public RasterBlock? Add(TileContribution contribution)
    {
        if ((uint)contribution.BlockIndex >= (uint)slots.Length)
            throw new ArgumentOutOfRangeException(nameof(contribution), contribution.BlockIndex, "no such block in the plan");
        var slot = slots[contribution.BlockIndex];
        lock (slot)
        {
            if (slot.IsFinished) return null;
            slot.Accumulator ??= new BlockAccumulator(Plan.Blocks[contribution.BlockIndex], Bands, Nodata);
            if (!slot.Accumulator.Add(contribution) || !slot.Accumulator.IsComplete) return null;
            var block = slot.Accumulator.Finish();
            slot.Accumulator = null;
            slot.IsFinished = true;
            Interlocked.Increment(ref finishedCount);
            return block;
        }
    }

    sealed class BlockSlot
    {
        public BlockAccumulator? Accumulator;
        public bool IsFinished;
    }
}
