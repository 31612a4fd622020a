using Xunit.Abstractions;

namespace Pipeline.Client.Tests.Fuzz;

/// <summary>
/// 300 seeded mutations of three small real scenes (uint8 RGB, uint16 4- and 6-band) through one real
/// <c>sr batch --model bicubic</c>: every case must end as a valid output (gdalinfo reads it) or a clean one-line
/// error naming its file; no crash, no hang (5 minutes for all), no leftover file of any name (a done scene's consistency
/// map is an output), peak RSS under 1 GB.
/// One batch process runs them all so the suite costs seconds, not a process start per case.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    const int Cases = 300;

    [Fact]
    public async Task Mutated_tiffs_end_in_a_valid_output_or_one_clean_error_with_nothing_left_behind()
    {
        var root = TestScenes.TemporaryFolder("sr-fuzz-");
        var (inputs, outputs) = (Directory.CreateDirectory(Path.Combine(root, "in")).FullName, Path.Combine(root, "out"));
        byte[][] sources =
        [
            File.ReadAllBytes(TestScenes.Crop("neon_BART_2019_rgb_10cm_1213x1106.tif", 48, 40)),
            File.ReadAllBytes(TestScenes.Crop("landsat8_UTM16N_30m_RGBNIR_627x603.tif", 40, 36)),
            File.ReadAllBytes(TestScenes.Crop("sentinel2_T18SVG_20160112_L1C_20m_6band_967x973.tif", 32, 32)),
        ];
        for (var i = 0; i < Cases; i++)
        {
            var family = TiffFuzzer.Families[i / sources.Length % TiffFuzzer.Families.Length];
            File.WriteAllBytes(Path.Combine(inputs, $"case-{i:D3}-{family}.tif"), TiffFuzzer.Mutate(sources[i % sources.Length], family, new Random(i)));
        }
        var result = await FuzzBatch.RunAsync(inputs, outputs, Cases);

        output.WriteLine(result.Summary);
        Assert.Equal(Cases, result.Reported);
        Assert.Empty(result.Unclean);
        Assert.Empty(result.Leftovers);
        Assert.InRange(result.PeakRss, 1, 1_000_000_000);
        Assert.True(result.Ok > 0 && result.Errors > 0, "the mutations should produce both outcomes");
    }
}
