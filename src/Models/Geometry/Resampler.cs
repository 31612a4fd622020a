using static TorchSharp.torch;

namespace Pipeline.Models.Geometry;

public enum ResampleKernel
{
    /// <summary>Cubic convolution, A = −0.75, taps clamped at the edge (PyTorch bicubic, no antialias).</summary>
    Bicubic,
    /// <summary>Linear interpolation, taps clamped at the edge (PyTorch bilinear).</summary>
    Bilinear,
    /// <summary>The input pixel whose centre is nearest the output pixel's centre (round(source)).</summary>
    Nearest,
}

/// <summary>
/// Resampling driven by <see cref="AxisMap"/>s. With whole-image maps it reproduces
/// <c>interpolate(mode, align_corners=False)</c>, and with tile maps every tile computes what the whole scene would
/// wherever its taps lie inside the tile. Bilinear and bicubic run as one <c>grid_sample</c> (border padding clamps
/// the taps exactly as interpolate does, and no tap-sized intermediates are made: the index_select form was 4–6×
/// slower than interpolate on the decoder's 32-channel maps); bicubic and nearest are separable index_selects.
/// Works on any device and is differentiable.
/// </summary>
public static class Resampler
{
    public static Tensor Resize(Tensor x, AxisMap rows, AxisMap columns, ResampleKernel kernel)
    {
        if (x.shape[^2] != rows.InSize || x.shape[^1] != columns.InSize)
            throw new ArgumentException($"input is {x.shape[^2]}x{x.shape[^1]}, maps expect {rows.InSize}x{columns.InSize}");
        if (kernel != ResampleKernel.Bilinear)
        {
            var h = ResizeAxis(x, x.dim() - 2, rows, kernel);
            return ResizeAxis(h, x.dim() - 1, columns, kernel);
        }
        if (Identity(rows) && Identity(columns)) return x.alias();
        using var scope = NewDisposeScope();
        var grid = Grid(rows, columns, x.shape[0], x.device);
        return nn.functional.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false).MoveToOuterDisposeScope();
    }

    /// <summary>Input rows (or columns) [Start, End) that output range [first, first + count) of <paramref name="map"/>
    /// reads, clamped to the input: a slice of the input over this range, resampled with <see cref="Sub"/>, gives
    /// exactly those output rows.</summary>
    public static (int Start, int End) SourceRange(AxisMap map, int first, int count, ResampleKernel kernel)
    {
        var (before, after) = kernel switch { ResampleKernel.Bicubic => (1, 2), ResampleKernel.Bilinear => (0, 1), _ => (0, 0) };
        var low = kernel == ResampleKernel.Nearest ? Math.Floor(map.Source(first) + 0.5) : Math.Floor(map.Source(first)) - before;
        var high = kernel == ResampleKernel.Nearest ? Math.Floor(map.Source(first + count - 1) + 0.5) : Math.Floor(map.Source(first + count - 1)) + after;
        var last = map.InSize - 1;
        return ((int)Math.Clamp(low, 0, last), (int)Math.Clamp(high, 0, last) + 1);
    }

    /// <summary>The map of output range [first, first + count) read from input slice [inStart, inEnd).</summary>
    public static AxisMap Sub(AxisMap map, int first, int count, int inStart, int inEnd) =>
        new(inEnd - inStart, count, map.Scale, map.InOrigin + inStart, map.OutOrigin + first);

    /// <summary>Separable form for bicubic and nearest (TorchSharp's grid_sample has no bicubic mode): per axis, one
    /// index_select of the K taps (tap-major) weighted and summed. Used on 3-channel images only.</summary>
    static Tensor ResizeAxis(Tensor x, long dim, AxisMap map, ResampleKernel kernel)
    {
        if (Identity(map)) return x;
        using var scope = NewDisposeScope();
        var (index, weight, taps) = Taps(map, kernel);
        var n = map.OutSize;
        var gathered = x.index_select(dim, tensor(index, device: x.device));
        if (taps == 1) return gathered.MoveToOuterDisposeScope();
        // gathered has K·N entries along dim, tap-major: split dim into [K, N] and sum over K.
        var shape = x.shape.ToList();
        shape[(int)dim] = n;
        shape.Insert((int)dim, taps);
        var wShape = Enumerable.Repeat(1L, shape.Count).ToArray();
        wShape[dim] = taps;
        wShape[dim + 1] = n;
        var w = tensor(weight, device: x.device, dtype: x.dtype).reshape(wShape);
        return (gathered.reshape(shape.ToArray()) * w).sum(dim).MoveToOuterDisposeScope();
    }

    /// <summary>Tap indices (tap-major, K·N) and weights for one axis.</summary>
    internal static (long[] Index, float[] Weight, int Taps) Taps(AxisMap map, ResampleKernel kernel)
    {
        var taps = kernel == ResampleKernel.Bicubic ? 4 : 1;
        var n = map.OutSize;
        var index = new long[taps * n];
        var weight = new float[taps * n];
        var last = map.InSize - 1;
        for (var i = 0; i < n; i++)
        {
            var source = map.Source(i);
            if (kernel == ResampleKernel.Nearest)
            {
                index[i] = Math.Clamp((long)Math.Floor(source + 0.5), 0, last);
                weight[i] = 1;
                continue;
            }
            var f = Math.Floor(source);
            var t = source - f;
            for (var k = 0; k < 4; k++) index[k * n + i] = Math.Clamp((long)f - 1 + k, 0, last);
            weight[i] = (float)Far(t + 1);
            weight[n + i] = (float)Near(t);
            weight[2 * n + i] = (float)Near(1 - t);
            weight[3 * n + i] = (float)Far(2 - t);
        }
        return (index, weight, taps);
    }

    const double CubicA = -0.75;

    static double Near(double x) => ((CubicA + 2) * x - (CubicA + 3)) * x * x + 1;

    static double Far(double x) => ((CubicA * x - 5 * CubicA) * x + 8 * CubicA) * x - 4 * CubicA;

    static bool Identity(AxisMap map) => map.InSize == map.OutSize && map.Scale == 1.0 && map.InOrigin == map.OutOrigin;

    /// <summary>grid_sample's [N, H, W, 2] grid of normalised (x, y) source positions: with align_corners = false,
    /// input pixel i spans [−1 + 2i/n, −1 + 2(i + 1)/n], so source coordinate u maps to (2u + 1)/n − 1.</summary>
    static Tensor Grid(AxisMap rows, AxisMap columns, long batch, Device device)
    {
        var ys = Normalised(rows);
        var xs = Normalised(columns);
        var gx = tensor(xs, device: device).reshape(1, 1, xs.Length, 1).expand(batch, ys.Length, xs.Length, 1);
        var gy = tensor(ys, device: device).reshape(1, ys.Length, 1, 1).expand(batch, ys.Length, xs.Length, 1);
        return cat([gx, gy], 3);
    }

    static float[] Normalised(AxisMap map)
    {
        var values = new float[map.OutSize];
        for (var i = 0; i < values.Length; i++) values[i] = (float)((2 * map.Source(i) + 1) / map.InSize - 1);
        return values;
    }
}
