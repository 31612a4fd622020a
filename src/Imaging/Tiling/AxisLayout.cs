using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tiling;

/// <summary>
/// Tiling of one axis, planned in HR space. The output axis (floor(length · s) pixels) is cut into n HR windows of
/// one size, starting on multiples of the upscaler's HR alignment: n is the fewest tiles of at most the requested
/// size that overlap by at least the requested overlap, and the size is then the smallest aligned one that still
/// gives that overlap everywhere (T' ≈ (L + (n − 1)·O) / n), so the overlap is not rounded up to a whole tile.
/// The last window ends at the output edge (up to one alignment step shorter). Each window reads the LR pixels its
/// bicubic taps reach (one before, two after the LR position of its first and last pixel centres), so any real
/// scale works: nothing about the scale's fraction constrains where tiles start.
/// </summary>
internal static class AxisLayout
{
    public static AxisSegment[] Build(int sceneLength, RationalScale scale, int tileHr, int overlapHr, int alignment, int marginHr, bool hardSeams = false)
    {
        var outputLength = checked((int)scale.HrFloor(sceneLength));
        var (starts, size) = HrStarts(outputLength, tileHr, overlapHr, alignment);
        var segments = new AxisSegment[starts.Length];
        // Equal tiles have few distinct (length, overlap) pairs: share their weight arrays, so the weights of a huge
        // scene take a few kilobytes instead of a float per HR pixel of every tile column.
        var profiles = new Dictionary<(int, int, int), float[]>();
        for (var i = 0; i < starts.Length; i++)
        {
            var hrStart = starts[i];
            var hrEnd = i == starts.Length - 1 ? outputLength : starts[i] + size;
            var leadingOverlap = i == 0 ? 0 : starts[i - 1] + size - hrStart;
            var trailingOverlap = i == starts.Length - 1 ? 0 : hrEnd - starts[i + 1];
            var lrStart = (int)Math.Max(0, LrCentreFloor(scale, hrStart) - 1);
            var lrEnd = (int)Math.Min(sceneLength, LrCentreFloor(scale, hrEnd - 1) + 3);
            segments[i] = new AxisSegment(
                lrStart, lrEnd - lrStart, hrStart, hrEnd - hrStart,
                hrStart + (leadingOverlap > 0 ? marginHr : 0),
                hrEnd - (trailingOverlap > 0 ? marginHr : 0),
                Profile(profiles, hrEnd - hrStart, leadingOverlap, trailingOverlap, marginHr, hardSeams));
        }
        return segments;
    }

    static float[] Profile(Dictionary<(int, int, int), float[]> profiles, int length, int leading, int trailing, int margin, bool hardSeams)
    {
        if (!profiles.TryGetValue((length, leading, trailing), out var weights))
            profiles[(length, leading, trailing)] = weights = BlendProfile.Build(length, leading, trailing, margin, hardSeams);
        return weights;
    }

    /// <summary>Tile starts (aligned) and the common tile size along an output axis of <paramref name="length"/>.</summary>
    internal static (int[] Starts, int Size) HrStarts(int length, int tileHr, int overlapHr, int alignment)
    {
        if (length <= tileHr) return ([0], length);
        // The fewest tiles that can work, then the smallest aligned size giving every pair the overlap; when aligning
        // the starts leaves no size up to the tile limit that does, one tile more.
        for (var count = (int)Math.Ceiling((double)(length - overlapHr) / (tileHr - overlapHr)); ; count++)
            for (var size = CeilingMultiple((length + (long)(count - 1) * overlapHr + count - 1) / count, alignment); size <= tileHr; size += alignment)
            {
                // The last start rounds up: its tile then ends at the edge at most one step shorter, never longer.
                var last = (Math.Max(0, length - size) + alignment - 1) / alignment * alignment;
                var starts = new int[count];
                for (var i = 1; i < count; i++) starts[i] = (int)(last * i / (count - 1) / alignment * alignment);
                var enough = true;
                for (var i = 0; i + 1 < count && enough; i++) enough = starts[i] + size - starts[i + 1] >= overlapHr;
                if (enough) return (starts, (int)size);
            }
    }

    /// <summary>floor of the LR coordinate of HR pixel centre <paramref name="hr"/>: floor((hr + 0.5)·q/p − 0.5),
    /// in integers ((2·hr + 1)·q − p) / 2p, rounded towards −∞.</summary>
    static long LrCentreFloor(RationalScale scale, long hr)
    {
        var numerator = checked((2 * hr + 1) * scale.Denominator - scale.Numerator);
        var denominator = 2 * scale.Numerator;
        return numerator >= 0 ? numerator / denominator : -((-numerator + denominator - 1) / denominator);
    }

    static long CeilingMultiple(long value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
