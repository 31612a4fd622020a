namespace Pipeline.Imaging.Tiling;

/// <summary>
/// Tiling of one axis. Tiles start on a lattice of LR positions whose HR images are whole, aligned pixels; regular
/// tiles advance by a stride (a lattice multiple), and the last tile starts on the lattice at or before
/// length − tileSize and runs to the scene edge, so it is at most one lattice step minus one pixel longer than the
/// others. A scene no longer than one tile is a single tile.
/// </summary>
internal static class AxisLayout
{
    public static AxisSegment[] Build(int sceneLength, int tileSize, int stride, int lattice, RationalScale scale, int marginHr)
    {
        var starts = TileStarts(sceneLength, tileSize, stride, lattice);
        var lrEnds = new int[starts.Count];
        var hrStarts = new int[starts.Count];
        var hrEnds = new int[starts.Count];
        for (var i = 0; i < starts.Count; i++)
        {
            lrEnds[i] = i == starts.Count - 1 ? sceneLength : starts[i] + tileSize;
            hrStarts[i] = checked((int)scale.HrFloor(starts[i]));
            hrEnds[i] = checked((int)scale.HrFloor(lrEnds[i]));
        }

        var segments = new AxisSegment[starts.Count];
        for (var i = 0; i < starts.Count; i++)
        {
            var leadingOverlap = i == 0 ? 0 : hrEnds[i - 1] - hrStarts[i];
            var trailingOverlap = i == starts.Count - 1 ? 0 : hrEnds[i] - hrStarts[i + 1];
            var hrLength = hrEnds[i] - hrStarts[i];
            segments[i] = new AxisSegment(
                starts[i], lrEnds[i] - starts[i], hrStarts[i], hrLength,
                hrStarts[i] + (leadingOverlap > 0 ? marginHr : 0),
                hrEnds[i] - (trailingOverlap > 0 ? marginHr : 0),
                BlendProfile.Build(hrLength, leadingOverlap, trailingOverlap, marginHr));
        }
        return segments;
    }

    static List<int> TileStarts(int sceneLength, int tileSize, int stride, int lattice)
    {
        var starts = new List<int> { 0 };
        if (sceneLength <= tileSize) return starts;
        var lastStart = sceneLength - tileSize;
        while (starts[^1] + stride <= lastStart) starts.Add(starts[^1] + stride);
        var snapped = lastStart / lattice * lattice;
        if (snapped > starts[^1]) starts.Add(snapped);
        return starts;
    }
}
