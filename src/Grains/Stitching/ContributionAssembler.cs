using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Stitching;

/// <summary>
/// Puts the row parts of each tile's contribution back together, so the block accumulator sees whole
/// contributions (it folds per tile, in tile order, for reproducible sums). A part already received (a retried
/// tile sends the same rows again) changes nothing. Not thread-safe: one stitching grain uses it.
/// </summary>
public sealed class ContributionAssembler
{
    readonly Dictionary<int, Partial> partials = [];

    /// <summary>Tiles with some but not all rows received.</summary>
    public int IncompleteCount => partials.Count;

    /// <summary>The whole contribution once <paramref name="part"/> completes it, otherwise null.</summary>
    public TileContribution? Add(ContributionPart part)
    {
        var window = part.Window;
        if (part.RowCount < 1 || part.FirstRow < 0 || part.FirstRow + part.RowCount > window.Height)
            throw new ArgumentException($"rows {part.FirstRow}+{part.RowCount} of tile {part.TileIndex} lie outside its window {window}", nameof(part));
        if (part.IsWhole)
        {
            partials.Remove(part.TileIndex);
            return new TileContribution(part.TileIndex, part.BlockIndex, window, part.Bands, part.WeightedSums, part.Weights);
        }

        if (!partials.TryGetValue(part.TileIndex, out var partial))
            partials[part.TileIndex] = partial = new Partial(part);
        if (partial.Window != window || partial.Bands != part.Bands)
            throw new ArgumentException($"parts of tile {part.TileIndex} disagree on the window or band count", nameof(part));
        partial.Copy(part);
        if (partial.RowsReceived < window.Height) return null;
        partials.Remove(part.TileIndex);
        return new TileContribution(part.TileIndex, part.BlockIndex, window, part.Bands, partial.Sums, partial.Weights);
    }

    sealed class Partial(ContributionPart first)
    {
        readonly bool[] received = new bool[first.Window.Height];

        public Imaging.Rasters.PixelWindow Window { get; } = first.Window;
        public int Bands { get; } = first.Bands;
        public float[] Sums { get; } = new float[first.Bands * (int)first.Window.Area];
        public float[] Weights { get; } = new float[(int)first.Window.Area];
        public int RowsReceived { get; private set; }

        public void Copy(ContributionPart part)
        {
            var width = Window.Width;
            for (var row = 0; row < part.RowCount; row++)
            {
                var target = part.FirstRow + row;
                if (received[target]) continue;
                received[target] = true;
                RowsReceived++;
                part.Weights.AsSpan(row * width, width).CopyTo(Weights.AsSpan(target * width));
                for (var band = 0; band < Bands; band++)
                    part.WeightedSums.AsSpan((band * part.RowCount + row) * width, width)
                        .CopyTo(Sums.AsSpan((band * Window.Height + target) * width));
            }
        }
    }
}
