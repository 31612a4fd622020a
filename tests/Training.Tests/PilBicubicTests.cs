using Pipeline.Training;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

/// <summary>
/// The resizer against Pillow. Pillow itself is not installed here, so it is checked (1) bit-exactly against the
/// expected outputs in Pillow's own test suite (Tests/test_image_resample.py, TestImagingCoreResampleAccuracy:
/// test_reduce_bicubic and test_enlarge_bicubic) and (2) against an independent implementation, libtorch's
/// <c>interpolate(bicubic, antialias=True)</c> (the same a = −0.5 antialiased filter in float), within the ±1 that
/// Pillow's 8-bit intermediate rounding allows.
/// </summary>
public class PilBicubicTests
{
    /// <summary>Pillow's make_case: two bright (color) and two dark (255 − color) quadrants.</summary>
    static byte[] Case(int w, int h, byte color)
    {
        var img = new byte[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var bright = (x <= w / 2 - 1 && y <= h / 2 - 1) || (x >= w / 2 && y >= h / 2);
                img[y * w + x] = bright ? color : (byte)(255 - color);
            }
        return img;
    }

    /// <summary>Pillow's make_sample: expected values given for the top-left quarter, mirrored to the others.</summary>
    static byte[] Sample(string hex, int w, int h)
    {
        var values = hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => Convert.ToByte(v, 16)).ToArray();
        var s = new byte[w * h];
        for (var y = 0; y < h / 2; y++)
            for (var x = 0; x < w / 2; x++)
            {
                var v = values[y * (w / 2) + x];
                s[y * w + x] = v;
                s[(h - y - 1) * w + (w - x - 1)] = v;
                s[(h - y - 1) * w + x] = (byte)(255 - v);
                s[y * w + (w - x - 1)] = (byte)(255 - v);
            }
        return s;
    }

    [Fact]
    public void Reduce_matches_pillows_test_vector()
    {
        var actual = PilBicubic.Resize(Case(12, 12, 0xe1), 1, 12, 12, 6, 6);
        Assert.Equal(Sample("e1 e3 d4 e3 e5 d6 d4 d6 c9", 6, 6), actual);
    }

    [Fact]
    public void Enlarge_matches_pillows_test_vector()
    {
        var actual = PilBicubic.Resize(Case(4, 4, 0xe1), 1, 4, 4, 8, 8);
        Assert.Equal(Sample("e1 e5 ee b9 e5 e9 f3 bc ee f3 fd c1 b9 bc c1 a2", 8, 8), actual);
    }

    [Theory]
    [InlineData(64, 48, 16, 12)]
    [InlineData(97, 61, 28, 17)]
    [InlineData(50, 50, 22, 22)]
    [InlineData(40, 30, 39, 29)]
    public void Matches_torch_antialiased_bicubic_within_one_level(int w, int h, int outW, int outH)
    {
        // Smooth structure plus texture, like a photograph, in 3 channels.
        var random = new Random(w * 31 + h);
        var src = new byte[3 * w * h];
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++)
                    src[(c * h + y) * w + x] = (byte)Math.Clamp(128 + 90 * Math.Sin(0.21 * x + 0.13 * y + c) + random.Next(-30, 31), 0, 255);
        var ours = PilBicubic.Resize(src, 3, w, h, outW, outH);

        // Pillow rounds to uint8 between its horizontal and vertical passes; do the same with torch.
        var input = tensor(src.Select(b => (float)b).ToArray(), [1, 3, h, w]);
        var horizontal = nn.functional.interpolate(input, size: [h, outW], mode: InterpolationMode.Bicubic, align_corners: false, antialias: true)
            .round().clamp(0, 255);
        var reference = nn.functional.interpolate(horizontal, size: [outH, outW], mode: InterpolationMode.Bicubic, align_corners: false, antialias: true)
            .round().clamp(0, 255).flatten().data<float>().ToArray();
        var maxDiff = 0;
        var exact = 0;
        for (var i = 0; i < ours.Length; i++)
        {
            var d = Math.Abs(ours[i] - (int)reference[i]);
            maxDiff = Math.Max(maxDiff, d);
            if (d == 0) exact++;
        }
        Assert.True(maxDiff <= 1, $"max difference {maxDiff}");
        Assert.True(exact > 0.99 * ours.Length, $"only {exact} of {ours.Length} equal");
    }
}
