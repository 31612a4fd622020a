using Pipeline.Training;
using Pipeline.Training.Evaluation;

namespace Pipeline.Training.Tests;

/// <summary>The tuning/reporting split, the latent-grid pattern metric and the comparison figure of <c>sr eval</c>.</summary>
public class EvaluationToolsTests
{
    [Fact]
    public void The_halves_are_disjoint_cover_the_folder_and_alternate_in_path_order()
    {
        var paths = Enumerable.Range(0, 9).Select(i => $"img{i}.png").ToList();
        var tune = ValidationHalves.Select(paths, ValidationHalf.Tune);
        var report = ValidationHalves.Select(paths, ValidationHalf.Report);
        Assert.Equal(["img0.png", "img2.png", "img4.png", "img6.png", "img8.png"], tune);
        Assert.Equal(["img1.png", "img3.png", "img5.png", "img7.png"], report);
        Assert.Equal(paths, ValidationHalves.Select(paths, ValidationHalf.All));
    }

    /// <summary>Planar RGB, grey = luma: a gentle diagonal ramp plus an optional pattern of period 4 with the given amplitude.</summary>
    static byte[] Image(int size, double amplitude, int seed)
    {
        var random = new Random(seed);
        var data = new byte[3 * size * size];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var pattern = amplitude * Math.Cos(Math.PI * x / 2) * Math.Cos(Math.PI * y / 2);
                var value = (byte)Math.Clamp(Math.Round(100 + 0.2 * (x + y) + pattern + random.NextDouble() - 0.5), 0, 255);
                for (var c = 0; c < 3; c++) data[(c * size + y) * size + x] = value;
            }
        return data;
    }

    [Fact]
    public void The_grid_pattern_measures_a_4_px_pattern_and_ignores_ramps()
    {
        const int size = 256;
        var reference = Image(size, 0, 1);
        var clean = GridPattern.Rms([GridPattern.Measure(reference, reference, size, size)]);
        // cos·cos of amplitude A has RMS A/2 over the phases.
        var patterned = GridPattern.Rms([GridPattern.Measure(Image(size, 4, 1), reference, size, size, crop: 4)]);
        Assert.InRange(clean, 0, 0.1);
        Assert.InRange(patterned, 1.8, 2.2);
    }

    [Fact]
    public void The_comparison_figure_puts_panels_side_by_side_with_gaps()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("sr-fig-").FullName, "fig.png");
        try
        {
            var panels = new[] { 0, 128, 255 }.Select(v => new RgbImage(10, 8, Enumerable.Repeat((byte)v, 3 * 80).ToArray(), "p")).ToList();
            ComparisonFigure.Save(path, panels, zoom: 2);
            var figure = RgbImage.Decode(path);
            Assert.Equal((3 * 20 + 2 * 4, 16), (figure.Width, figure.Height));
            Assert.Equal(0, figure.Data[0]);
            Assert.Equal(128, figure.Data[24 + 5]);
            Assert.Equal(255, figure.Data[21]); // the gap
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary left
            Assert.Throws<ArgumentException>(() => ComparisonFigure.Save(path, [panels[0], new RgbImage(4, 4, new byte[48], "q")], 2));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }
}
