using static TorchSharp.torch;

namespace Pipeline.Models.Diffusion;

/// <summary>
/// The scene-wide Gaussian noise field: the value at (seed, step, channel, global latent y, global latent x) is a
/// pure function of those five numbers (SplitMix64-style counter hash → two uniforms → Box–Muller), computed on
/// the host in double precision and rounded to float32. A tile's noise is therefore the crop of one scene-wide
/// field: overlapping tiles agree exactly and a mosaic does not depend on the tiling, the worker or the order,
/// and the result is the same on every device.
/// </summary>
public static class SceneNoise
{
    public static float Value(ulong seed, int step, int channel, long y, long x)
    {
        var key = Mix(seed ^ 0x6A09E667F3BCC909UL);
        key = Mix(key ^ ((ulong)(uint)step << 32 | (uint)channel));
        key = Mix(key ^ (ulong)y * 0x9E3779B97F4A7C15UL);
        key = Mix(key ^ (ulong)x * 0xC2B2AE3D27D4EB4FUL);
        // Two independent 53-bit uniforms: u1 in (0, 1] (log-safe), u2 in [0, 1).
        var u1 = ((Mix(key ^ 0x1UL) >> 11) + 1) * (1.0 / 9007199254740992.0);
        var u2 = (Mix(key ^ 0x2UL) >> 11) * (1.0 / 9007199254740992.0);
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    /// <summary>Noise for a latent window: [channels, height, width] starting at global latent (y0, x0).</summary>
    public static float[] Window(ulong seed, int step, int channels, long y0, long x0, int height, int width)
    {
        var data = new float[channels * height * width];
        Parallel.For(0, channels * height, row =>
        {
            var c = row / height;
            var y = row % height;
            var offset = row * width;
            for (var x = 0; x < width; x++) data[offset + x] = Value(seed, step, c, y0 + y, x0 + x);
        });
        return data;
    }

    /// <summary>Noise for a batch of equally sized latent windows as a [B, C, h, w] tensor on <paramref name="device"/>.</summary>
    public static Tensor Tensor(ulong seed, int step, int channels, IReadOnlyList<(long Y, long X)> origins, int height, int width, Device device)
    {
        var plane = channels * height * width;
        var data = new float[origins.Count * plane];
        for (var b = 0; b < origins.Count; b++)
            Window(seed, step, channels, origins[b].Y, origins[b].X, height, width).CopyTo(data, b * plane);
        return tensor(data, [origins.Count, channels, height, width], device: device);
    }

    /// <summary>SplitMix64 finaliser.</summary>
    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
