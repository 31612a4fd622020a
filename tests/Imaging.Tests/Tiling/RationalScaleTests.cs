using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

public class RationalScaleTests
{
    [Theory]
    [InlineData(2.0, 2, 1)]
    [InlineData(3.5, 7, 2)]
    [InlineData(2.37, 237, 100)]
    [InlineData(1.0, 1, 1)]
    [InlineData(2.6666666666666665, 8, 3)]
    [InlineData(1.0 / 3, 1, 3)]
    public void Finds_the_smallest_exact_fraction(double scale, long numerator, long denominator)
    {
        var rational = RationalScale.FromDouble(scale);

        Assert.Equal((numerator, denominator), (rational.Numerator, rational.Denominator));
        Assert.Equal(scale, rational.Value);
    }

    [Fact]
    public void Irrational_scales_get_a_convergent_within_tolerance()
    {
        var rational = RationalScale.FromDouble(Math.PI);
        Assert.True(Math.Abs(rational.Value - Math.PI) <= 1e-9 * Math.PI);
        Assert.True(rational.Denominator > 1000);
    }

    [Fact]
    public void Integer_mappings_are_exact()
    {
        var scale = new RationalScale(474, 200);
        Assert.Equal(new RationalScale(237, 100), scale);
        Assert.Equal(23, scale.HrFloor(10));
        Assert.Equal(24, scale.HrCeiling(10));
        Assert.Equal(5, scale.LrCeiling(11));     // floor(5 · 2.37) = 11
        Assert.Equal(4, scale.LrPixelContaining(11)); // (11.5) / 2.37 = 4.85
        Assert.Equal(5, scale.LrPixelContaining(12)); // (12.5) / 2.37 = 5.27
    }
}
