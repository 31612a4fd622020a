using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>
/// How much a mosaic steps across the lines where tiles meet compared with parallel lines inside tiles. Boundary
/// lines are both edges of every overlap and its middle, where hard cuts, pasted tile edges and per-tile offsets
/// show. The step across a line is taken less the mean of the steps on either side, so smooth gradients of the scene
/// cancel and only discontinuities count. Interpolation makes the step size depend on where a line falls within an
/// LR pixel, and tile edges all fall at the same few places, so each boundary line is compared with the interior
/// lines of the same sub-pixel phase. Each stitching fault shows on one family of lines (tile starts, tile ends or
/// overlap middles), so the score is that of the worst family. About 1 means no seam; a seam pushes it well above.
/// </summary>
/// <param name="Ratio"><see cref="BoundaryEnergy"/> / <see cref="InteriorEnergy"/> of the worst line family;
/// 1 when nothing can be compared (a single tile).</param>
/// <param name="BoundaryEnergy">Mean squared step anomaly across the worst family's lines.</param>
/// <param name="InteriorEnergy">The same expected from interior lines of matching phase and direction.</param>
/// <param name="BoundaryPairs">Samples behind <see cref="BoundaryEnergy"/>.</param>
/// <param name="InteriorPairs">Samples on interior lines (outside every overlap) forming the reference.</param>
sealed record SeamScore(double Ratio, double BoundaryEnergy, double InteriorEnergy, long BoundaryPairs, long InteriorPairs)
{
    const int MaxPhaseBins = 16;

    /// <summary>Scores a whole mosaic made with <paramref name="plan"/>.</summary>
    /// <param name="mosaic">The mosaic over <see cref="TilePlan.OutputWindow"/>.</param>
    /// <param name="plan">The plan that says where tiles meet.</param>
    /// <param name="nodata">Samples equal to this (or NaN) are left out.</param>
    public static SeamScore Measure(RasterBlock mosaic, TilePlan plan, float? nodata = null)
    {
        if (mosaic.Window != plan.OutputWindow)
            throw new ArgumentException($"mosaic window {mosaic.Window} is not the plan's {plan.OutputWindow}", nameof(mosaic));
        var tileColumns = new (int Start, int End)[plan.TileColumns];
        for (var c = 0; c < tileColumns.Length; c++) tileColumns[c] = plan.ColumnHrRange(c);
        var tileRows = new (int Start, int End)[plan.TileRows];
        for (var r = 0; r < tileRows.Length; r++) tileRows[r] = plan.RowHrRange(r);

        var (columnLines, rowLines) = LineEnergies(mosaic, nodata);
        var families = new Family[FamilyCount];
        for (var i = 0; i < families.Length; i++) families[i] = new Family();
        var interiorPairs = Compare(columnLines, ClassifyLines(mosaic.Width, tileColumns), plan.Scale, families)
                          + Compare(rowLines, ClassifyLines(mosaic.Height, tileRows), plan.Scale, families);

        var worst = new SeamScore(1, 0, 0, 0, interiorPairs);
        foreach (var family in families)
        {
            if (family.Pairs == 0) continue;
            var (boundaryMean, expectedMean) = (family.Energy / family.Pairs, family.Expected / family.Pairs);
            var ratio = boundaryMean == expectedMean ? 1 : boundaryMean / expectedMean;
            if (worst.BoundaryPairs == 0 || ratio > worst.Ratio)
                worst = new SeamScore(ratio, boundaryMean, expectedMean, family.Pairs, interiorPairs);
        }
        return worst;
    }

    /// <summary>Where a line lies relative to the overlaps; the first three are the boundary families.</summary>
    enum LineKind : byte { TileStart, TileEnd, OverlapMiddle, Interior, Overlap }

    const int FamilyCount = 3;

    sealed class Family
    {
        public double Energy, Expected;
        public long Pairs;
    }

    readonly record struct LineEnergy(double Energy, long Samples);

    /// <summary>Line i separates pixels i − 1 and i along an axis of <paramref name="length"/> pixels.</summary>
    static LineKind[] ClassifyLines(int length, (int Start, int End)[] tiles)
    {
        var kinds = new LineKind[length + 1];
        Array.Fill(kinds, LineKind.Interior);
        for (var i = 0; i + 1 < tiles.Length; i++)
        {
            var (overlapStart, overlapEnd) = (tiles[i + 1].Start, tiles[i].End);
            for (var line = overlapStart; line <= overlapEnd; line++) kinds[line] = LineKind.Overlap;
            kinds[(overlapStart + overlapEnd) / 2] = LineKind.OverlapMiddle;
            kinds[overlapStart] = LineKind.TileStart;
            kinds[overlapEnd] = LineKind.TileEnd;
        }
        return kinds;
    }

    /// <summary>Adds the boundary lines of one direction to their families, with what interior lines of the same
    /// phase predict for them; returns the interior samples used.</summary>
    static long Compare(LineEnergy[] lines, LineKind[] kinds, RationalScale scale, Family[] families)
    {
        long interiorPairs = 0;
        var bins = (int)Math.Min(scale.Numerator, MaxPhaseBins);
        var interiorEnergy = new double[bins];
        var interiorSamples = new long[bins];
        for (var line = 0; line < lines.Length; line++)
            if (kinds[line] == LineKind.Interior && lines[line].Samples > 0)
            {
                var bin = PhaseBin(line, scale, bins);
                interiorEnergy[bin] += lines[line].Energy;
                interiorSamples[bin] += lines[line].Samples;
                interiorPairs += lines[line].Samples;
            }
        for (var line = 0; line < lines.Length; line++)
        {
            var bin = PhaseBin(line, scale, bins);
            if (kinds[line] >= LineKind.Interior || lines[line].Samples == 0 || interiorSamples[bin] == 0) continue;
            var family = families[(int)kinds[line]];
            family.Energy += lines[line].Energy;
            family.Pairs += lines[line].Samples;
            family.Expected += lines[line].Samples * interiorEnergy[bin] / interiorSamples[bin];
        }
        return interiorPairs;
    }

    /// <summary>Where HR line <paramref name="line"/> falls inside an LR pixel (frac(line · q / p)), in <paramref name="bins"/> bins.</summary>
    static int PhaseBin(int line, RationalScale scale, int bins) =>
        (int)(line * scale.Denominator % scale.Numerator * bins / scale.Numerator);

    /// <summary>Σ squared step anomaly, (I[i] − I[i−1]) − ((I[i+1] − I[i]) + (I[i−1] − I[i−2])) / 2, and sample
    /// counts for every vertical line (between columns) and horizontal line (between rows).</summary>
    static (LineEnergy[] Columns, LineEnergy[] Rows) LineEnergies(RasterBlock mosaic, float? nodata)
    {
        var (width, height) = (mosaic.Width, mosaic.Height);
        var columnEnergy = new double[width];
        var columnSamples = new long[width];
        var rowEnergy = new double[height];
        var rowSamples = new long[height];
        for (var band = 0; band < mosaic.Bands; band++)
        {
            var plane = mosaic.Band(band);
            for (var y = 0; y < height; y++)
            {
                var row = plane.Slice(y * width, width);
                for (var x = 2; x + 1 < width; x++)
                    if (TryAnomaly(row[x - 2], row[x - 1], row[x], row[x + 1], nodata, out var anomaly))
                    {
                        columnEnergy[x] += anomaly * anomaly;
                        columnSamples[x]++;
                    }
            }
            for (var y = 2; y + 1 < height; y++)
                for (var x = 0; x < width; x++)
                    if (TryAnomaly(plane[(y - 2) * width + x], plane[(y - 1) * width + x], plane[y * width + x],
                            plane[(y + 1) * width + x], nodata, out var anomaly))
                    {
                        rowEnergy[y] += anomaly * anomaly;
                        rowSamples[y]++;
                    }
        }
        var columns = new LineEnergy[width];
        for (var x = 0; x < width; x++) columns[x] = new LineEnergy(columnEnergy[x], columnSamples[x]);
        var rows = new LineEnergy[height];
        for (var y = 0; y < height; y++) rows[y] = new LineEnergy(rowEnergy[y], rowSamples[y]);
        return (columns, rows);
    }

    static bool TryAnomaly(float before2, float before1, float after1, float after2, float? nodata, out double anomaly)
    {
        anomaly = 0;
        if (!Usable(before2, nodata) || !Usable(before1, nodata) || !Usable(after1, nodata) || !Usable(after2, nodata)) return false;
        anomaly = ((double)after1 - before1) - (((double)after2 - after1) + ((double)before1 - before2)) / 2;
        return true;
    }

    static bool Usable(float value, float? nodata) => !float.IsNaN(value) && value != nodata;
}
