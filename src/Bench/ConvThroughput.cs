using System.Diagnostics;
using static TorchSharp.torch;

namespace Pipeline.Bench;

/// <summary>
/// What this machine's libtorch achieves on one large, well-shaped convolution (64→64 channels, 3×3, on 256×256):
/// the reference for how efficiently a model's mixed layers use the hardware.
/// </summary>
public static class ConvThroughput
{
    const int Channels = 64;
    const int Size = 256;

    public static double GigaflopsPerSecond(int repeats)
    {
        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        var input = randn(1, Channels, Size, Size);
        var weight = randn(Channels, Channels, 3, 3);
        nn.functional.conv2d(input, weight, padding: [1, 1]);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++) nn.functional.conv2d(input, weight, padding: [1, 1]).Dispose();
        var flops = 2.0 * Size * Size * Channels * Channels * 9 * repeats;
        return flops / clock.Elapsed.TotalSeconds / 1e9;
    }
}
