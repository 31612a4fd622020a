using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// <c>--uncertainty K</c>: the per-pixel spread of K outputs of a sampling model (K noise draws of the same tile), as
/// one more band after the output's own: the sample standard deviation over the draws, averaged over the bands, in the
/// bands' units. An extra band rather than a sidecar: it is blended, tiled, georeferenced and compressed with the mosaic
/// for free, and no viewer can show it misaligned. In an integer output it is rounded like the other bands.
/// </summary>
public static class UncertaintyBand
{
    /// <param name="output">The output the mosaic gets (draw 0, after enforcement if any).</param>
    /// <param name="draws">The draws, draw 0 first; at least two.</param>
    public static RasterBlock Append(RasterBlock output, IReadOnlyList<RasterBlock> draws)
    {
        if (draws.Count < 2) throw new ArgumentException("a spread needs at least two draws", nameof(draws));
        var bands = output.Bands;
        var plane = output.Width * output.Height;
        var result = new RasterBlock(output.Window, bands + 1);
        output.Data.CopyTo(result.Data, 0);
        var spread = result.Band(bands);
        for (var i = 0; i < plane; i++)
        {
            double total = 0;
            for (var b = 0; b < bands; b++)
            {
                double sum = 0, squares = 0;
                foreach (var draw in draws)
                {
                    double v = draw.Data[b * plane + i];
                    sum += v;
                    squares += v * v;
                }
                var mean = sum / draws.Count;
                total += Math.Sqrt(Math.Max(0, (squares - draws.Count * mean * mean) / (draws.Count - 1)));
            }
            spread[i] = (float)(total / bands);
        }
        return result;
    }
}
