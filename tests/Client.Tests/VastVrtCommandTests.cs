namespace Pipeline.Client.Tests;

/// <summary>A VRT 2³¹ − 1 pixels across whose one source is stretched over all of it (so its sources cover it): no
/// output can be that wide ×2. Both commands end with one line naming the VRT and leave nothing; before, <c>upscale</c>
/// failed with <c>error: not a non-empty window inside the 2147483647x100000 image</c> (the levels sample's window
/// position wrapped negative in int) and then with the size error naming no file.</summary>
public class VastVrtCommandTests
{
    [Theory]
    [InlineData("upscale")]
    [InlineData("batch")]
    public async Task A_VRT_too_wide_for_any_output_fails_with_one_line_naming_it(string command)
    {
        var folder = Directory.CreateTempSubdirectory("sr-vast-").FullName;
        var inputs = Directory.CreateDirectory(Path.Combine(folder, "in")).FullName;
        File.Copy(TestScenes.Crop("landsat8_UTM16N_30m_RGBNIR_627x603.tif", 64, 48), Path.Combine(inputs, "source.tif"));
        var vrt = Path.Combine(inputs, "vast.vrt");
        File.WriteAllText(vrt, """
            <VRTDataset rasterXSize="2147483647" rasterYSize="100000"><VRTRasterBand dataType="UInt16" band="1"><SimpleSource>
            <SourceFilename relativeToVRT="1">source.tif</SourceFilename><SourceBand>1</SourceBand>
            <SrcRect xOff="0" yOff="0" xSize="64" ySize="48"/><DstRect xOff="0" yOff="0" xSize="2147483647" ySize="100000"/>
            </SimpleSource></VRTRasterBand></VRTDataset>
            """);
        var outputs = Path.Combine(folder, "out");
        string[] arguments = command == "upscale"
            ? ["upscale", vrt, "--out", Path.Combine(outputs, "vast.tif"), "--scale", "2", "--model", "bicubic", "--quiet"]
            : ["batch", "--input", inputs, "--output", outputs, "--pattern", "*.vrt", "--scale", "2", "--model", "bicubic", "--quiet"];
        Directory.CreateDirectory(outputs);

        var result = await Sr.RunAsync(arguments);

        Assert.Equal(1, result.ExitCode);
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"error: {vrt}: the output would be 4294967294 pixels across (2147483647 × 2), more than a raster can hold"], errors);
        Assert.DoesNotContain(Directory.GetFiles(outputs), file => !file.EndsWith("batch-report.json", StringComparison.Ordinal));
        Directory.Delete(folder, recursive: true);
    }
}
