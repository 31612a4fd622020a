namespace Pipeline.Imaging.Consistency;

/// <summary>
/// Which pixels of a block are set, looked up rather than computed per pixel: each block column and row is mapped to a
/// column and row of a mask (−1: outside it, never set); with no mask every mapped pixel is set. The consistency
/// measures ask this for every pixel of a tile, so it is two array reads and a byte, not a delegate call.
/// </summary>
internal readonly ref struct PixelMask(ReadOnlySpan<int> columns, ReadOnlySpan<int> rows, ReadOnlySpan<byte> mask, int stride)
{
    readonly ReadOnlySpan<int> columns = columns;
    readonly ReadOnlySpan<int> rows = rows;
    readonly ReadOnlySpan<byte> mask = mask;

    /// <summary>Whether block pixel (<paramref name="x"/>, <paramref name="y"/>) (block coordinates) is set.</summary>
    public bool this[int x, int y]
    {
        get
        {
            var (column, row) = (columns[x], rows[y]);
            return column >= 0 && row >= 0 && (mask.IsEmpty || mask[row * stride + column] != 0);
        }
    }

    /// <summary>For each of <paramref name="count"/> coordinates from <paramref name="start"/>: its offset from
    /// <paramref name="origin"/> where that lies in [0, <paramref name="length"/>), else −1.</summary>
    public static int[] Offsets(int start, int count, int origin, int length) => Offsets(start, count, c => c, origin, length);

    /// <summary>As <see cref="Offsets(int, int, int, int)"/>, for the coordinates <paramref name="map"/> gives.</summary>
    public static int[] Offsets(int start, int count, Func<int, int> map, int origin, int length)
    {
        var offsets = new int[count];
        for (var i = 0; i < count; i++)
        {
            var offset = map(start + i) - origin;
            offsets[i] = offset >= 0 && offset < length ? offset : -1;
        }
        return offsets;
    }
}
