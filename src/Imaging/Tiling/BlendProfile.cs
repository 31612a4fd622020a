namespace Pipeline.Imaging.Tiling;

/// <summary>
/// One-dimensional blend weights of a tile along one axis. The 2-D weight is the product of the horizontal and
/// vertical profiles, so a tile needs only W + H weights instead of W × H.
/// </summary>
internal static class BlendProfile
{
    /// <summary>
    /// Weights for the <paramref name="length"/> HR pixels of a tile along one axis. An interior side with
    /// <c>overlap</c> HR pixels shared with its neighbour gets zero weight on its first <paramref name="margin"/>
    /// pixels (the upscaler's unreliable edge) and a raised-cosine ramp over the rest of the overlap; a side on the
    /// scene border (overlap 0) keeps full weight to the edge so the border is never darkened or left uncovered.
    /// </summary>
    /// <param name="hardSeam">Instead of a ramp, weight 1 from the middle of the overlap on and 0 before it (the leading
    /// side takes the pixels from overlap / 2 on, the trailing side the rest): each pixel then comes from one tile.</param>
    public static float[] Build(int length, int leadingOverlap, int trailingOverlap, int margin, bool hardSeam = false)
    {
        var weights = new float[length];
        Array.Fill(weights, 1f);
        if (hardSeam)
        {
            for (var distance = 0; distance < Math.Min(leadingOverlap / 2, length); distance++) weights[distance] = 0;
            for (var distance = 0; distance < Math.Min(trailingOverlap - trailingOverlap / 2, length); distance++) weights[length - 1 - distance] = 0;
            return weights;
        }
        if (leadingOverlap > 0)
            for (var distance = 0; distance < Math.Min(leadingOverlap, length); distance++)
                weights[distance] *= Ramp(distance, leadingOverlap, margin);
        if (trailingOverlap > 0)
            for (var distance = 0; distance < Math.Min(trailingOverlap, length); distance++)
                weights[length - 1 - distance] *= Ramp(distance, trailingOverlap, margin);
        return weights;
    }

    /// <summary>Weight at <paramref name="distance"/> pixels from an interior edge. Sampled at pixel centres, so
    /// it is strictly positive from the first pixel past the margin on: no pixel of the ramp is wasted.</summary>
    static float Ramp(int distance, int overlap, int margin)
    {
        if (distance < margin) return 0f;
        var position = (distance - margin + 0.5) / (overlap - margin);
        return (float)(0.5 - 0.5 * Math.Cos(Math.PI * position));
    }
}
