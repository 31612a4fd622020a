namespace Pipeline.Client.Tests;

/// <summary>
/// <c>sr bench-pipeline --parts gdal</c> on a small scene: our bicubic job and gdal_translate run as child processes
/// and the table has a row per output layout with positive times and ratios; the breakdown from the job's own stage
/// timers has CPU time where the work is. The figures themselves are docs/benchmarks.md's, measured on the full
/// command; this checks that the command measures something real.
/// </summary>
public sealed class BenchAgainstGdalTests
{
    [Fact]
    public async Task The_gdal_table_times_both_tools_for_each_layout()
    {
        var result = await Sr.RunAsync(
            ["bench-pipeline", "--scene", TestScenes.LandsatRgbnir, "--parts", "gdal", "--gdal-tiling", "2", "--repeat", "1"],
            timeout: TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        double[] Cells(string label)
        {
            var row = Assert.Single(result.Stdout.Split('\n'), line => line.StartsWith($"| {label} | ", StringComparison.Ordinal));
            return row.Trim('|', ' ', '\r').Split('|').Skip(1).Select(cell => double.Parse(cell.Trim().TrimEnd('%', ' '), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        foreach (var layout in new[] { "COG with overviews", "COG with overviews, `--consistency off`", "no overviews" })
            Assert.True(Cells(layout).All(value => value > 0), layout);
        foreach (var stage in new[] { "model (bicubic)", "consistency sums", "encode: round, compress, reduce (stitchers)" })
            Assert.True(Cells(stage)[0] > 0, stage);
    }
}
