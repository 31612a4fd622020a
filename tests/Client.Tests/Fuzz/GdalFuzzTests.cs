using System.Diagnostics;
using Xunit.Abstractions;

namespace Pipeline.Client.Tests.Fuzz;

/// <summary>
/// Issue 30: the GDAL path fuzzed like the TIFF path. 240 seeded mutations of a JPEG 2000 file, a netCDF file and a
/// VRT (damaged and hostile, <see cref="GdalFuzzer"/>), all made from a real scene with the machine's gdal_translate,
/// through one real <c>sr batch --model bicubic</c>, by the same rules as <see cref="FuzzTests"/>; and 60 mutated
/// Sentinel-2 products (<see cref="SafeFuzzer"/>) the same way, every case that reaches outside its product refused.
/// </summary>
public class GdalFuzzTests(ITestOutputHelper output)
{
    const int Cases = 240;

    [Fact]
    public async Task Mutated_jpeg2000_netcdf_and_vrt_inputs_end_in_a_valid_output_or_one_clean_error_with_nothing_left_behind()
    {
        var root = TestScenes.TemporaryFolder("sr-gdal-fuzz-");
        var (inputs, outputs) = (Directory.CreateDirectory(Path.Combine(root, "in")).FullName, Path.Combine(root, "out"));
        var scene = TestScenes.Crop("landsat8_UTM16N_30m_RGBNIR_627x603.tif", 64, 48);
        var source = Path.Combine(inputs, "source.tif");
        File.Copy(scene, source);
        var jp2 = File.ReadAllBytes(Translate(scene, Path.Combine(root, "seed.jp2"), "-of", "JP2OpenJPEG", "-co", "REVERSIBLE=YES", "-co", "QUALITY=100"));
        var netcdf = File.ReadAllBytes(Translate(scene, Path.Combine(root, "seed.nc"), "-of", "netCDF", "-b", "1"));

        for (var i = 0; i < Cases; i++)
        {
            var random = new Random(i);
            var kind = (i % 6) switch { 0 or 1 => "jp2", 2 => "nc", _ => "vrt" };
            if (kind == "vrt")
            {
                var family = GdalFuzzer.VrtFamilies[i / 6 % GdalFuzzer.VrtFamilies.Length];
                var name = $"case-{i:D3}-{family}.vrt";
                File.WriteAllText(Path.Combine(inputs, name), GdalFuzzer.MutateVrt("source.tif", name, family, random));
            }
            else
            {
                var family = GdalFuzzer.BinaryFamilies[i / 6 % GdalFuzzer.BinaryFamilies.Length];
                File.WriteAllBytes(Path.Combine(inputs, $"case-{i:D3}-{family}.{kind}"), GdalFuzzer.MutateBinary(kind == "jp2" ? jp2 : netcdf, family, random));
            }
        }

        var result = await FuzzBatch.RunAsync(inputs, outputs, Cases, pattern: "case-*");

        output.WriteLine(result.Summary);
        Assert.Equal(Cases, result.Reported);
        Assert.Empty(result.Unclean);
        Assert.Empty(result.Leftovers);
        Assert.InRange(result.PeakRss, 1, 1_000_000_000);
        Assert.True(result.Ok > 0 && result.Errors > 0, "the mutations should produce both outcomes");
    }

    const int SafeCases = 60;

    [Fact]
    public async Task Mutated_sentinel2_products_end_in_a_valid_output_or_one_clean_error_with_nothing_left_behind()
    {
        var root = TestScenes.TemporaryFolder("sr-safe-fuzz-");
        var (inputs, outputs) = (Directory.CreateDirectory(Path.Combine(root, "in")).FullName, Path.Combine(root, "out"));
        var scene = TestScenes.Crop("landsat8_UTM16N_30m_RGBNIR_627x603.tif", 64, 48);
        var jp2 = new[] { "-of", "JP2OpenJPEG", "-co", "REVERSIBLE=YES", "-co", "QUALITY=100" };
        var bands = Enumerable.Range(1, 4).Select(b => File.ReadAllBytes(Translate(scene, Path.Combine(root, $"seed-{b}.jp2"), [.. jp2, "-b", $"{b}"]))).ToList();
        var small = File.ReadAllBytes(Translate(scene, Path.Combine(root, "small.jp2"), [.. jp2, "-b", "1", "-srcwin", "0", "0", "32", "24"]));
        // The escapes' target: the seed's bands again, loose and in a product's folder layout, beside the products.
        var outside = Path.Combine(inputs, "outside");
        SafeFuzzer.WriteBands(outside, bands);
        for (var b = 0; b < 4; b++) File.WriteAllBytes(Path.Combine(outside, $"T16RBT_20200101T163651_{SafeFuzzer.BandNames[b]}_10m.jp2"), bands[b]);

        for (var i = 0; i < SafeCases; i++)
        {
            var family = SafeFuzzer.Families[i % SafeFuzzer.Families.Length];
            SafeFuzzer.Write(Path.Combine(inputs, $"case-{i:D3}-{family}.SAFE"), bands, small, outside, family, new Random(i));
        }

        var result = await FuzzBatch.RunAsync(inputs, outputs, SafeCases, pattern: "case-*.SAFE");

        output.WriteLine(result.Summary);
        Assert.Equal(SafeCases, result.Reported);
        Assert.Empty(result.Unclean);
        Assert.Empty(result.Leftovers);
        Assert.InRange(result.PeakRss, 1, 1_000_000_000);
        Assert.True(result.Ok > 0 && result.Errors > 0, "the mutations should produce both outcomes");
        Assert.DoesNotContain(result.Done, input => SafeFuzzer.Refused.Any(family => input.Contains($"-{family}.SAFE", StringComparison.Ordinal)));
    }

    static string Translate(string input, string output, params string[] options)
    {
        using var gdal = Process.Start(new ProcessStartInfo("gdal_translate", [.. options, "-q", input, output]) { RedirectStandardError = true })!;
        var error = gdal.StandardError.ReadToEnd();
        gdal.WaitForExit();
        Assert.True(gdal.ExitCode == 0, error);
        return output;
    }
}
