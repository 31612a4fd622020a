using Pipeline.Grains.Messages;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Stitching;

/// <summary>
/// Rows [<see cref="FirstRow"/>, <see cref="FirstRow"/> + <see cref="RowCount"/>) of one <see cref="TileContribution"/>:
/// a contribution is (bands + 1) float32 planes over up to a whole block, which for large blocks or many bands can
/// pass the <see cref="TilePixels.MaxBytes"/> message cap, so it travels in row bands that each stay under it.
/// Most contributions fit whole and travel as one part sharing the contribution's arrays.
/// [Immutable]: the arrays are never written after the part is built.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ContributionPart
{
    public ContributionPart(int tileIndex, int blockIndex, PixelWindow window, int bands, int firstRow, int rowCount, float[] weightedSums, float[] weights)
    {
        TileIndex = tileIndex;
        BlockIndex = blockIndex;
        Window = window;
        Bands = bands;
        FirstRow = firstRow;
        RowCount = rowCount;
        WeightedSums = weightedSums;
        Weights = weights;
    }

    [Id(0)] public int TileIndex { get; }
    [Id(1)] public int BlockIndex { get; }

    /// <summary>The whole contribution's window (mosaic coordinates), not just these rows.</summary>
    [Id(2)] public PixelWindow Window { get; }

    [Id(3)] public int Bands { get; }
    [Id(4)] public int FirstRow { get; }
    [Id(5)] public int RowCount { get; }

    /// <summary>w·x over these rows, band-sequential: band b, row r at <c>(b * RowCount + r) * Window.Width</c>.</summary>
    [Id(6)] public float[] WeightedSums { get; }

    /// <summary>w over these rows, row-major.</summary>
    [Id(7)] public float[] Weights { get; }

    public bool IsWhole => FirstRow == 0 && RowCount == Window.Height;

    /// <summary>Bytes of pixel payload in one row of a contribution of <paramref name="bands"/> bands and this width.</summary>
    public static long RowBytes(int width, int bands) => (long)(bands + 1) * width * sizeof(float);

    /// <summary>Cuts <paramref name="contribution"/> into parts of at most <paramref name="maxBytes"/> of pixels
    /// (at least one row each).</summary>
    public static IReadOnlyList<ContributionPart> Split(TileContribution contribution, long maxBytes = TilePixels.MaxBytes)
    {
        var (window, bands) = (contribution.Window, contribution.Bands);
        var rowsPerPart = (int)Math.Clamp(maxBytes / RowBytes(window.Width, bands), 1, window.Height);
        if (rowsPerPart == window.Height)
            return [new ContributionPart(contribution.TileIndex, contribution.BlockIndex, window, bands, 0, window.Height, contribution.WeightedSums, contribution.Weights)];

        var parts = new List<ContributionPart>();
        var width = window.Width;
        for (var first = 0; first < window.Height; first += rowsPerPart)
        {
            var rows = Math.Min(rowsPerPart, window.Height - first);
            var sums = new float[bands * rows * width];
            for (var band = 0; band < bands; band++)
                contribution.WeightedSums.AsSpan((band * window.Height + first) * width, rows * width)
                    .CopyTo(sums.AsSpan(band * rows * width));
            var weights = contribution.Weights.AsSpan(first * width, rows * width).ToArray();
            parts.Add(new ContributionPart(contribution.TileIndex, contribution.BlockIndex, window, bands, first, rows, sums, weights));
        }
        return parts;
    }
}
