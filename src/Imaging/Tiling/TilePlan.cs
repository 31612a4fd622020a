using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tiling;

/// <summary>
/// How a W × H scene is super-resolved by scale s tile by tile and blended back: the LR tiles, their HR windows and
/// blend weights, and the output blocks of the floor(W·s) × floor(H·s) mosaic with the exact tiles each depends on.
/// </summary>
/// <remarks>
/// Planned in HR space: each axis of the mosaic is cut into equal HR windows starting on multiples of the upscaler's
/// <see cref="ITileUpscaler.HrAlignment"/> (see <see cref="AxisLayout"/>), and each window reads the LR pixels that
/// cover it. The scale is held as an exact fraction p/q only for integer output sizes and LR footprints; any real
/// scale works. Weights are separable raised-cosine ramps on interior sides only, zero over the upscaler's edge margin.
/// </remarks>
public sealed class TilePlan
{
    readonly AxisSegment[] columns;
    readonly AxisSegment[] rows;
    readonly (int First, int Last)[] blockColumnsOf;
    readonly (int First, int Last)[] blockRowsOf;
    readonly (int First, int Last)[] tileRowsOfBlockRow;
    readonly (int FirstColumn, int ColumnCount, int FirstIndex)[] swaths;

    TilePlan(int sceneWidth, int sceneHeight, RationalScale scale, TilingOptions options, int edgeMargin, int hrAlignment,
        int tileHr, int overlapHr, int edgeMarginHr)
    {
        SceneWidth = sceneWidth;
        SceneHeight = sceneHeight;
        Scale = scale;
        Options = options;
        EdgeMargin = edgeMargin;
        HrAlignment = hrAlignment;
        TileSizeHr = tileHr;
        OverlapHr = overlapHr;
        EdgeMarginHr = edgeMarginHr;
        OutputWidth = checked((int)scale.HrFloor(sceneWidth));
        OutputHeight = checked((int)scale.HrFloor(sceneHeight));
        columns = AxisLayout.Build(sceneWidth, scale, tileHr, overlapHr, hrAlignment, edgeMarginHr, options.HardSeams);
        rows = AxisLayout.Build(sceneHeight, scale, tileHr, overlapHr, hrAlignment, edgeMarginHr, options.HardSeams);
        BlockColumns = (OutputWidth + options.BlockSize - 1) / options.BlockSize;
        BlockRows = (OutputHeight + options.BlockSize - 1) / options.BlockSize;
        blockColumnsOf = BlockRanges(columns);
        blockRowsOf = BlockRanges(rows);
        tileRowsOfBlockRow = SegmentsPerBlock(blockRowsOf, BlockRows);
        swaths = Swaths();
        var last = swaths[^1];
        Tiles = new IndexedList<PlannedTile>(checked(last.FirstIndex + rows.Length * last.ColumnCount), TileAt);
        Blocks = new IndexedList<OutputBlock>(checked(BlockColumns * BlockRows), BlockAt);
    }

    /// <summary>Plans a scene for <paramref name="upscaler"/>, honouring its edge margin and HR alignment.</summary>
    public static TilePlan Create(int sceneWidth, int sceneHeight, double scale, ITileUpscaler upscaler, TilingOptions? options = null) =>
        Create(sceneWidth, sceneHeight, scale, upscaler.EdgeMargin, upscaler.HrAlignment, options);

    /// <summary>Plans a scene of <paramref name="sceneWidth"/> × <paramref name="sceneHeight"/> LR pixels.</summary>
    /// <param name="sceneWidth">LR scene width W ≥ 1.</param>
    /// <param name="sceneHeight">LR scene height H ≥ 1.</param>
    /// <param name="scale">Scale factor in <see cref="ScaleRange"/>, any real number.</param>
    /// <param name="edgeMargin">LR pixels at each interior tile edge that get no blend weight.</param>
    /// <param name="hrAlignment">HR tile offsets must be multiples of this.</param>
    /// <param name="options">Tile size, overlap and block size; defaults when null.</param>
    /// <exception cref="ArgumentException">The overlap leaves no room for a blend ramp after the edge margins, or the tile
    /// is not larger than the overlap.</exception>
    public static TilePlan Create(int sceneWidth, int sceneHeight, double scale, int edgeMargin, int hrAlignment, TilingOptions? options = null)
    {
        options ??= new TilingOptions();
        options.Validate();
        if (sceneWidth < 1) throw new ArgumentOutOfRangeException(nameof(sceneWidth), sceneWidth, "scene must be at least 1 pixel wide");
        if (sceneHeight < 1) throw new ArgumentOutOfRangeException(nameof(sceneHeight), sceneHeight, "scene must be at least 1 pixel high");
        if (!ScaleRange.Contains(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, ScaleRange.Problem(scale));
        if (edgeMargin < 0) throw new ArgumentOutOfRangeException(nameof(edgeMargin), edgeMargin, "edge margin cannot be negative");
        if (hrAlignment < 1) throw new ArgumentOutOfRangeException(nameof(hrAlignment), hrAlignment, "HR alignment must be at least 1");

        var rational = RationalScale.FromDouble(scale);
        var edgeMarginHr = checked((int)rational.HrCeiling(edgeMargin));
        var overlapHr = checked((int)rational.HrFloor(options.Overlap));
        if (overlapHr <= 2L * edgeMarginHr)
            throw new ArgumentException(
                $"overlap {options.Overlap} LR px is {overlapHr} HR px at scale {rational}, which leaves no room for a blend ramp " +
                $"once the upscaler's edge margin of {edgeMargin} LR px ({edgeMarginHr} HR px) is dropped on both sides of a seam; " +
                $"use an overlap of at least {rational.LrCeiling(2L * edgeMarginHr + 1)} LR px", nameof(options));
        var tileHr = checked((int)(rational.HrFloor(options.TileSize) / hrAlignment * hrAlignment));
        if (tileHr < overlapHr + hrAlignment)
            throw new ArgumentException(
                $"tile {options.TileSize} LR px ({tileHr} HR px on the {hrAlignment}-px grid at scale {rational}) must exceed the overlap " +
                $"{options.Overlap} LR px ({overlapHr} HR px) by at least {hrAlignment} HR px; use larger tiles or a smaller overlap", nameof(options));

        return new TilePlan(sceneWidth, sceneHeight, rational, options, edgeMargin, hrAlignment, tileHr, overlapHr, edgeMarginHr);
    }

    /// <summary>LR scene width W.</summary>
    public int SceneWidth { get; }

    /// <summary>LR scene height H.</summary>
    public int SceneHeight { get; }

    /// <summary>The exact scale p/q; pass <see cref="RationalScale.Value"/> to the upscaler.</summary>
    public RationalScale Scale { get; }

    /// <summary>Tile size, overlap and block size.</summary>
    public TilingOptions Options { get; }

    /// <summary>LR pixels at interior tile edges without blend weight (the upscaler's unreliable border).</summary>
    public int EdgeMargin { get; }

    /// <summary>HR tile offsets are multiples of this.</summary>
    public int HrAlignment { get; }

    /// <summary>The largest HR tile side: floor(tile · s), down to a multiple of <see cref="HrAlignment"/>. Tiles are of one
    /// size per axis, at most this (the last one up to one alignment step shorter).</summary>
    public int TileSizeHr { get; }

    /// <summary>The least HR overlap between neighbouring tiles: floor(overlap · s).</summary>
    public int OverlapHr { get; }

    /// <summary>HR pixels with zero weight at each interior tile edge: ceil(EdgeMargin · s).</summary>
    public int EdgeMarginHr { get; }

    /// <summary>floor(W · s).</summary>
    public int OutputWidth { get; }

    /// <summary>floor(H · s).</summary>
    public int OutputHeight { get; }

    /// <summary>The whole mosaic: (0, 0, <see cref="OutputWidth"/>, <see cref="OutputHeight"/>).</summary>
    public PixelWindow OutputWindow => new(0, 0, OutputWidth, OutputHeight);

    /// <summary>Tiles per row of the grid (tile columns; a column reaching two swaths is planned in both).</summary>
    public int TileColumns => columns.Length;

    /// <summary>Tiles per column of the grid.</summary>
    public int TileRows => rows.Length;

    /// <summary>All tiles, by swath (vertical bands of <see cref="SwathBlocks"/> block columns), then row-major within the
    /// swath; a tile's position is its <see cref="PlannedTile.Index"/>. A scene narrower than one swath is plain row-major.</summary>
    public IReadOnlyList<PlannedTile> Tiles { get; }

    /// <summary>Output blocks per row of the mosaic.</summary>
    public int BlockColumns { get; }

    /// <summary>Output blocks per column of the mosaic.</summary>
    public int BlockRows { get; }

    /// <summary>All output blocks, row-major; a block's position is its <see cref="OutputBlock.Index"/>.</summary>
    public IReadOnlyList<OutputBlock> Blocks { get; }

    /// <summary>Extra upscaling work caused by overlap: Σ tile HR area / mosaic area − 1 (duplicated swath border
    /// columns included).</summary>
    public double OverlapOvercompute
    {
        get
        {
            double height = rows.Sum(r => (double)r.HrLength), width = 0;
            foreach (var swath in swaths)
                for (var k = 0; k < swath.ColumnCount; k++) width += columns[swath.FirstColumn + k].HrLength;
            return height * width / OutputWindow.Area - 1;
        }
    }

    /// <summary>HR columns [Start, End) of tile column <paramref name="column"/>.</summary>
    public (int Start, int End) ColumnHrRange(int column) => (columns[column].HrStart, columns[column].HrEnd);

    /// <summary>HR rows [Start, End) of tile row <paramref name="row"/>.</summary>
    public (int Start, int End) RowHrRange(int row) => (rows[row].HrStart, rows[row].HrEnd);

    /// <summary>Blend weight of each HR column of the tile's <see cref="PlannedTile.HrWindow"/>, left to right.</summary>
    public ReadOnlySpan<float> HorizontalWeights(int tileIndex) => columns[Tiles[tileIndex].Column].Weights;

    /// <summary>Blend weight of each HR row of the tile's <see cref="PlannedTile.HrWindow"/>, top to bottom.
    /// The weight of a pixel is the product of its horizontal and vertical weights.</summary>
    public ReadOnlySpan<float> VerticalWeights(int tileIndex) => rows[Tiles[tileIndex].Row].Weights;

    // Tiles and blocks are derived from the axis layouts when asked for, so a plan takes memory in proportion to its
    // tile rows and columns, not to its tiles: a small file declaring a huge size cannot make the plan alone take
    // gigabytes.

    /// <summary>Swath-major, then row-major over the tile columns that reach the swath (a contiguous range). A tile
    /// column reaching two swaths is planned once in each (same pixels, blocks clipped to the swath), so every block
    /// is finished within its swath and the blocks open at once stay within one swath's width.</summary>
    (int FirstColumn, int ColumnCount, int FirstIndex)[] Swaths()
    {
        var swathBlocks = SwathBlocks;
        var result = new (int FirstColumn, int ColumnCount, int FirstIndex)[(BlockColumns + swathBlocks - 1) / swathBlocks];
        var index = 0L;
        for (var swath = 0; swath < result.Length; swath++)
        {
            var (first, last) = SwathBlockColumns(swath);
            var (from, to) = (0, columns.Length - 1);
            while (blockColumnsOf[from].Last < first) from++;
            while (blockColumnsOf[to].First > last) to--;
            result[swath] = (from, to - from + 1, checked((int)index));
            index += (long)rows.Length * (to - from + 1);
        }
        checked { _ = (int)index; }
        return result;
    }

    (int First, int Last) SwathBlockColumns(int swath) =>
        (swath * SwathBlocks, Math.Min(BlockColumns, (swath + 1) * SwathBlocks) - 1);

    PlannedTile TileAt(int index)
    {
        var swath = Array.BinarySearch(swaths, (0, 0, index), SwathByFirstIndex.Instance);
        if (swath < 0) swath = ~swath - 1;
        var (firstColumn, columnCount, firstIndex) = swaths[swath];
        var (row, column) = Math.DivRem(index - firstIndex, columnCount);
        column += firstColumn;
        var (x, y) = (columns[column], rows[row]);
        var (first, last) = SwathBlockColumns(swath);
        var blocks = new List<int>();
        for (var blockRow = blockRowsOf[row].First; blockRow <= blockRowsOf[row].Last; blockRow++)
            for (var blockColumn = Math.Max(first, blockColumnsOf[column].First); blockColumn <= Math.Min(last, blockColumnsOf[column].Last); blockColumn++)
                blocks.Add(blockRow * BlockColumns + blockColumn);
        return new PlannedTile(index, column, row,
            new PixelWindow(x.LrStart, y.LrStart, x.LrLength, y.LrLength),
            new PixelWindow(x.HrStart, y.HrStart, x.HrLength, y.HrLength),
            new PixelWindow(x.WeightedStart, y.WeightedStart, x.WeightedEnd - x.WeightedStart, y.WeightedEnd - y.WeightedStart),
            blocks, swath);
    }

    /// <summary>The block's swath copies, over tile rows then tile columns: ascending tile indices, the same relative
    /// order as a plain row-major grid, so sums (and bytes) do not depend on the swath width.</summary>
    OutputBlock BlockAt(int index)
    {
        var (blockRow, blockColumn) = Math.DivRem(index, BlockColumns);
        var (firstColumn, columnCount, firstIndex) = swaths[blockColumn / SwathBlocks];
        var contributors = new List<int>();
        var (rowFrom, rowTo) = tileRowsOfBlockRow[blockRow];
        for (var row = rowFrom; row <= rowTo; row++)
            for (var k = 0; k < columnCount; k++)
            {
                var range = blockColumnsOf[firstColumn + k];
                if (range.First <= blockColumn && blockColumn <= range.Last)
                    contributors.Add(firstIndex + row * columnCount + k);
            }
        var blockSize = Options.BlockSize;
        var window = new PixelWindow(blockColumn * blockSize, blockRow * blockSize, blockSize, blockSize).Intersect(OutputWindow);
        return new OutputBlock(index, blockColumn, blockRow, window, contributors);
    }

    sealed class SwathByFirstIndex : IComparer<(int FirstColumn, int ColumnCount, int FirstIndex)>
    {
        public static readonly SwathByFirstIndex Instance = new();
        public int Compare((int FirstColumn, int ColumnCount, int FirstIndex) a, (int FirstColumn, int ColumnCount, int FirstIndex) b) =>
            a.FirstIndex.CompareTo(b.FirstIndex);
    }

    /// <summary>Block columns per swath: the options' value, or enough for 4096 HR pixels and 16 tile strides (at most
    /// about 1/16 of the tiles are then planned twice, and only on scenes wider than one swath).</summary>
    public int SwathBlocks => Options.SwathBlocks > 0
        ? Options.SwathBlocks
        : (int)((Math.Max(AutoSwathWidth, 16L * (TileSizeHr - OverlapHr)) + Options.BlockSize - 1) / Options.BlockSize);

    internal const int AutoSwathWidth = 4096;

    /// <summary>First and last block along the axis that each segment's weighted range meets.</summary>
    (int First, int Last)[] BlockRanges(AxisSegment[] segments)
    {
        var ranges = new (int First, int Last)[segments.Length];
        for (var i = 0; i < segments.Length; i++)
            ranges[i] = (segments[i].WeightedStart / Options.BlockSize, (segments[i].WeightedEnd - 1) / Options.BlockSize);
        return ranges;
    }

    /// <summary>For each block along the axis, the first and last segment whose block range includes it (ranges grow
    /// with the segment index, so those segments are contiguous).</summary>
    static (int First, int Last)[] SegmentsPerBlock((int First, int Last)[] blockRanges, int blockCount)
    {
        var result = new (int First, int Last)[blockCount];
        for (var block = 0; block < blockCount; block++) result[block] = (int.MaxValue, -1);
        for (var segment = 0; segment < blockRanges.Length; segment++)
            for (var block = blockRanges[segment].First; block <= blockRanges[segment].Last; block++)
                result[block] = (Math.Min(result[block].First, segment), Math.Max(result[block].Last, segment));
        return result;
    }
}
