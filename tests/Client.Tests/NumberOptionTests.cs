namespace Pipeline.Client.Tests;

/// <summary>Number options are read with the invariant culture and no group separators (the library's default read
/// "--scale 2,5" as ×25).</summary>
public class NumberOptionTests
{
    [Theory]
    [InlineData("2,5")]
    [InlineData("1,000")]
    [InlineData("two")]
    public async Task A_scale_that_is_not_a_plain_number_is_a_usage_error_and_nothing_is_written(string scale)
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("sr-scale-").FullName, "out.tif");
        var result = await Sr.RunAsync(["upscale", TestScenes.NeonRgb, "--out", output, "--scale", scale, "--model", "bicubic", "--quiet"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--scale: '{scale}' is not a number (decimals take a dot, e.g. 2.5)", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
        Directory.Delete(Path.GetDirectoryName(output)!);
    }

    [Fact]
    public async Task A_decimal_scale_with_a_dot_runs()
    {
        var folder = Directory.CreateTempSubdirectory("sr-scale-").FullName;
        var output = Path.Combine(folder, "out.tif");
        var result = await Sr.RunAsync(["upscale", TestScenes.NeonRgb, "--out", output, "--scale", "2.5", "--model", "bicubic", "--quiet"]);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("640x560", result.Stdout);
        Directory.Delete(folder, true);
    }
}

/// <summary>Sizes and ceilings given as 0 or negative are usage errors naming the option (before, --max-output-pixels 0
/// meant no ceiling at all and --tile -5 failed the job with an error that named no option).</summary>
public class PositiveOptionTests
{
    [Theory]
    [InlineData("--tile", "-5")]
    [InlineData("--tile", "0")]
    [InlineData("--overlap", "-1")]
    [InlineData("--max-output-pixels", "0")]
    public async Task Zero_or_negative_is_a_usage_error_naming_the_option_and_nothing_is_written(string option, string value)
    {
        var folder = Directory.CreateTempSubdirectory("sr-positive-").FullName;
        var result = await Sr.RunAsync(["upscale", TestScenes.NeonRgb, "--out", Path.Combine(folder, "out.tif"), "--scale", "2", "--model", "bicubic", option, value, "--quiet"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{option} must be at least 1, got {value}", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Directory.Delete(folder);
    }
}

/// <summary>IDM's DDIM step count is checked before any work.</summary>
public class StepsOptionTests
{
    [Theory]
    [InlineData("-1")]
    [InlineData("2001")]
    public async Task Steps_outside_1_to_2000_are_a_usage_error_and_nothing_is_written(string steps)
    {
        var folder = Directory.CreateTempSubdirectory("sr-steps-").FullName;
        var result = await Sr.RunAsync(["upscale", TestScenes.NeonRgb, "--out", Path.Combine(folder, "out.tif"), "--scale", "2", "--model", "idm-small", "--steps", steps, "--quiet"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--steps must be 1..2000 (0: the default)", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Directory.Delete(folder);
    }
}

/// <summary>The output-size ceiling: a scene whose output would pass it is refused before any work.</summary>
public class OutputCeilingTests
{
    [Fact]
    public async Task An_output_over_the_ceiling_is_refused_with_one_line_naming_the_input()
    {
        var folder = Directory.CreateTempSubdirectory("sr-ceiling-").FullName;
        var result = await Sr.RunAsync(["upscale", TestScenes.NeonRgb, "--out", Path.Combine(folder, "out.tif"), "--scale", "4",
            "--model", "bicubic", "--max-output-pixels", "900000", "--quiet"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {TestScenes.NeonRgb}: the output would be 1024x896 pixels, over the ceiling of 900,000 (--max-output-pixels)",
            result.Stderr.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Directory.Delete(folder);
    }
}

/// <summary>--precision takes fp32 or bf16 only, checked before any work.</summary>
public class PrecisionOptionTests
{
    [Fact]
    public async Task Another_precision_is_a_usage_error_and_nothing_is_written()
    {
        var folder = Directory.CreateTempSubdirectory("sr-precision-").FullName;
        var result = await Sr.RunAsync(["upscale", TestScenes.NeonRgb, "--out", Path.Combine(folder, "out.tif"), "--scale", "2", "--precision", "fp16", "--quiet"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--precision: 'fp16' is not fp32 or bf16", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Directory.Delete(folder);
    }
}
