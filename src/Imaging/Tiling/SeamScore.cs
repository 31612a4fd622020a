namespace Pipeline.Imaging.Tiling;

/// <summary>
/// How much a mosaic changes across the lines where tiles meet compared with parallel lines inside tiles:
/// mean squared difference between neighbouring pixels across boundary lines (both edges of every overlap and its
/// middle, where hard cuts, pasted edges and per-tile offsets show) divided by the same across every line outside
/// the overlaps. About 1 means no seam; a visible seam pushes it well above.
/// </summary>
/// <param name="Ratio"><see cref="BoundaryEnergy"/> / <see cref="InteriorEnergy"/>; 1 when the plan has a single tile.</param>
/// <param name="BoundaryEnergy">Mean squared step across boundary lines.</param>
/// <param name="InteriorEnergy">Mean squared step across lines outside every overlap.</param>
/// <param name="BoundaryPairs">Pixel pairs (per band) behind <see cref="BoundaryEnergy"/>.</param>
/// <param name="InteriorPairs">Pixel pairs (per band) behind <see cref="InteriorEnergy"/>.</param>
public sealed record SeamScore(double Ratio, double BoundaryEnergy, double InteriorEnergy, long BoundaryPairs, long InteriorPairs)
{
    /// <summary>Scores a whole mosaic made with <paramref name="plan"/>.</summary>
    /// <param name="mosaic">The mosaic over <see cref="TilePlan.OutputWindow"/>.</param>
    /// <param name="plan">The plan that says where tiles meet.</param>
    /// <param name="nodata">Pairs with a sample equal to this (or NaN) are skipped.</param>
    public static SeamScore Measure(RasterBlock mosaic, TilePlan plan, float? nodata = null)
    {
        if (mosaic.Window != plan.OutputWindow)
            throw new ArgumentException($"mosaic window {mosaic.Window} is not the plan's {plan.OutputWindow}", nameof(mosaic));
        var columnSpans = new PixelWindow[plan.TileColumns];
        for (var c = 0; c < columnSpans.Length; c++) columnSpans[c] = plan.Tiles[c].HrWindow;
        var rowSpans = new PixelWindow[plan.TileRows];
        for (var r = 0; r < rowSpans.Length; r++) rowSpans[r] = plan.Tiles[r * plan.TileColumns].HrWindow;
        var columnKinds = ClassifyLines(mosaic.Width, columnSpans.Select(w => (w.X, w.Right)).ToArray());
        var rowKinds = ClassifyLines(mosaic.Height, rowSpans.Select(w => (w.Y, w.Bottom)).ToArray());

        var (columnEnergy, columnPairs, rowEnergy, rowPairs) = LineEnergies(mosaic, nodata);
        double boundary = 0, interior = 0;
        long boundaryPairs = 0, interiorPairs = 0;
        Accumulate(columnKinds, columnEnergy, columnPairs, ref boundary, ref boundaryPairs, ref interior, ref interiorPairs);
        Accumulate(rowKinds, rowEnergy, rowPairs, ref boundary, ref boundaryPairs, ref interior, ref interiorPairs);

        var boundaryMean = boundaryPairs == 0 ? 0 : boundary / boundaryPairs;
        var interiorMean = interiorPairs == 0 ? 0 : interior / interiorPairs;
        var ratio = boundaryPairs == 0 || boundaryMean == interiorMean ? 1 : boundaryMean / interiorMean;
        return new SeamScore(ratio, boundaryMean, interiorMean, boundaryPairs, interiorPairs);
    }

    enum LineKind : byte { Interior, Boundary, Overlap }

    /// <summary>Line i separates pixels i − 1 and i along an axis of <paramref name="length"/> pixels.</summary>
    static LineKind[] ClassifyLines(int length, (int Start, int End)[] tiles)
    {
        var kinds = new LineKind[length + 1];
        for (var i = 0; i + 1 < tiles.Length; i++)
        {
            var (overlapStart, overlapEnd) = (tiles[i + 1].Start, tiles[i].End);
            for (var line = overlapStart; line <= overlapEnd; line++) kinds[line] = LineKind.Overlap;
            kinds[overlapStart] = kinds[overlapEnd] = kinds[(overlapStart + overlapEnd) / 2] = LineKind.Boundary;
        }
        // Lines 0 and length lie on the scene border, with no pixel pair across them.
        kinds[0] = kinds[length] = LineKind.Overlap;
        return kinds;
    }

    static void Accumulate(LineKind[] kinds, double[] energy, long[] pairs,
        ref double boundary, ref long boundaryPairs, ref double interior, ref long interiorPairs)
    {
        for (var line = 1; line < energy.Length; line++)
        {
            if (kinds[line] == LineKind.Boundary) { boundary += energy[line]; boundaryPairs += pairs[line]; }
            else if (kinds[line] == LineKind.Interior) { interior += energy[line]; interiorPairs += pairs[line]; }
        }
    }

    /// <summary>Σ squared steps and pair counts across every vertical line (between columns) and horizontal line (between rows).</summary>
    static (double[] ColumnEnergy, long[] ColumnPairs, double[] RowEnergy, long[] RowPairs) LineEnergies(RasterBlock mosaic, float? nodata)
    {
        var (width, height) = (mosaic.Width, mosaic.Height);
        var columnEnergy = new double[width];
        var columnPairs = new long[width];
        var rowEnergy = new double[height];
        var rowPairs = new long[height];
        for (var band = 0; band < mosaic.Bands; band++)
        {
            var plane = mosaic.Band(band);
            for (var y = 0; y < height; y++)
            {
                var row = plane.Slice(y * width, width);
                for (var x = 1; x < width; x++)
                    if (Usable(row[x - 1], nodata) && Usable(row[x], nodata))
                    {
                        var step = (double)row[x] - row[x - 1];
                        columnEnergy[x] += step * step;
                        columnPairs[x]++;
                    }
                if (y == 0) continue;
                var above = plane.Slice((y - 1) * width, width);
                for (var x = 0; x < width; x++)
                    if (Usable(above[x], nodata) && Usable(row[x], nodata))
                    {
                        var step = (double)row[x] - above[x];
                        rowEnergy[y] += step * step;
                        rowPairs[y]++;
                    }
            }
        }
        return (columnEnergy, columnPairs, rowEnergy, rowPairs);
    }

    static bool Usable(float value, float? nodata) => !float.IsNaN(value) && value != nodata;
}
