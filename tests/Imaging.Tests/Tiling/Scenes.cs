using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>Synthetic scenes that look like satellite DN rasters: a smooth random field (a few random plane waves
/// plus a gentle slope) with per-pixel noise, in the low thousands like Sentinel-2 reflectance DN.</summary>
static class Scenes
{
    public static RasterBlock SmoothFieldWithNoise(int width, int height, int bands, int seed, double noise = 25)
    {
        var random = new Random(seed);
        var scene = new RasterBlock(new PixelWindow(0, 0, width, height), bands);
        for (var band = 0; band < bands; band++)
        {
            var waves = new (double Fx, double Fy, double Phase, double Amplitude)[6];
            for (var i = 0; i < waves.Length; i++)
                waves[i] = (random.NextDouble() * 0.3 - 0.15, random.NextDouble() * 0.3 - 0.15, random.NextDouble() * 2 * Math.PI, 150 + 300 * random.NextDouble());
            var (slopeX, slopeY) = (random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2);
            var plane = scene.Band(band);
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    var value = 2000 + 300 * band + slopeX * x + slopeY * y;
                    foreach (var (fx, fy, phase, amplitude) in waves) value += amplitude * Math.Sin(fx * x + fy * y + phase);
                    value += noise * Gaussian(random);
                    plane[y * width + x] = (float)Math.Round(value);
                }
        }
        return scene;
    }

    static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>The reference: the whole scene upscaled in one piece.</summary>
    public static RasterBlock UpscaleWhole(RasterBlock scene, double scale) =>
        new BicubicUpscaler().Upscale(scene, scale,
            new PixelWindow(0, 0, (int)Math.Floor(scene.Width * scale), (int)Math.Floor(scene.Height * scale)));

    public static double MaxAbsDifference(RasterBlock expected, RasterBlock actual)
    {
        Assert.Equal(expected.Window, actual.Window);
        Assert.Equal(expected.Bands, actual.Bands);
        double max = 0;
        for (var i = 0; i < expected.Data.Length; i++) max = Math.Max(max, Math.Abs((double)expected.Data[i] - actual.Data[i]));
        return max;
    }

    public static void AssertBitIdentical(RasterBlock expected, RasterBlock actual)
    {
        Assert.Equal(expected.Window, actual.Window);
        Assert.Equal(expected.Bands, actual.Bands);
        for (var i = 0; i < expected.Data.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected.Data[i]) != BitConverter.SingleToInt32Bits(actual.Data[i]))
                Assert.Fail($"sample {i}: {expected.Data[i]:R} vs {actual.Data[i]:R}");
    }
}
