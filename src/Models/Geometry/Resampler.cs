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
/// Separable resampling driven by <see cref="AxisMap"/>s: per axis, a few <c>index_select</c>s weighted and
/// summed. Works on any device and is differentiable; with whole-image maps it reproduces
/// <c>interpolate(mode, align_corners=False)</c>, and with tile maps every tile computes exactly what the
/// whole scene would wherever its taps lie inside the tile.
/// </summary>
public static class Resampler
{
    const double CubicA = -0.75;

    public static Tensor Resize(Tensor x, AxisMap rows, AxisMap columns, ResampleKernel kernel)
    {
        if (x.shape[^2] != rows.InSize || x.shape[^1] != columns.InSize)
            throw new ArgumentException($"input is {x.shape[^2]}x{x.shape[^1]}, maps expect {rows.InSize}x{columns.InSize}");
        var h = ResizeAxis(x, x.dim() - 2, rows, kernel);
        return ResizeAxis(h, x.dim() - 1, columns, kernel);
    }

    static Tensor ResizeAxis(Tensor x, long dim, AxisMap map, ResampleKernel kernel)
    {
        if (map.InSize == map.OutSize && map.Scale == 1.0 && map.InOrigin == map.OutOrigin) return x;
        var (index, weight, taps) = Taps(map, kernel);
        var n = map.OutSize;
        var idx = tensor(index, device: x.device);
        var gathered = x.index_select(dim, idx);
        if (taps == 1) return gathered;
        // gathered has K·N entries along dim, tap-major: split dim into [K, N] and sum over K.
        var shape = x.shape.ToList();
        shape[(int)dim] = n;
        shape.Insert((int)dim, taps);
        var wShape = Enumerable.Repeat(1L, shape.Count).ToArray();
        wShape[dim] = taps;
        wShape[dim + 1] = n;
        var w = tensor(weight, device: x.device, dtype: x.dtype).reshape(wShape);
        return (gathered.reshape(shape.ToArray()) * w).sum(dim);
    }

    /// <summary>Tap indices (tap-major, K·N) and weights for one axis.</summary>
    internal static (long[] Index, float[] Weight, int Taps) Taps(AxisMap map, ResampleKernel kernel)
    {
        var taps = kernel switch { ResampleKernel.Bicubic => 4, ResampleKernel.Bilinear => 2, _ => 1 };
        var n = map.OutSize;
        var index = new long[taps * n];
        var weight = new float[taps * n];
        var last = map.InSize - 1;
        for (var i = 0; i < n; i++)
        {
            var source = map.Source(i);
            switch (kernel)
            {
                case ResampleKernel.Nearest:
                    index[i] = Math.Clamp((long)Math.Floor(source + 0.5), 0, last);
                    weight[i] = 1;
                    break;
                case ResampleKernel.Bilinear:
                {
                    var f = Math.Floor(source);
                    var t = source - f;
                    index[i] = Math.Clamp((long)f, 0, last);
                    index[n + i] = Math.Clamp((long)f + 1, 0, last);
                    weight[i] = (float)(1 - t);
                    weight[n + i] = (float)t;
                    break;
                }
                default:
                {
                    var f = Math.Floor(source);
                    var t = source - f;
                    for (var k = 0; k < 4; k++) index[k * n + i] = Math.Clamp((long)f - 1 + k, 0, last);
                    weight[i] = (float)Far(t + 1);
                    weight[n + i] = (float)Near(t);
                    weight[2 * n + i] = (float)Near(1 - t);
                    weight[3 * n + i] = (float)Far(2 - t);
                    break;
                }
            }
        }
        return (index, weight, taps);
    }

    static double Near(double x) => ((CubicA + 2) * x - (CubicA + 3)) * x * x + 1;

    static double Far(double x) => ((CubicA * x - 5 * CubicA) * x + 8 * CubicA) * x - 4 * CubicA;
}
