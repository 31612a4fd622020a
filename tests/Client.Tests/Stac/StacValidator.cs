namespace Pipeline.Client.Tests.Stac;

/// <summary>
/// The maintained STAC validator, stac-node-validator (npm; <c>.ci/run</c> installs it), run on files with every
/// schema URL it needs mapped to the copies kept in <c>tests/StacSchemas</c> (STAC 1.0.0, its extensions, GeoJSON,
/// PROJJSON), since CI has no internet. Without the tool the test fails saying so: it is the check.
/// </summary>
static class StacValidator
{
    static readonly string Schemas = Repository.Path("tests", "StacSchemas");

    static readonly string[] SchemaMaps =
    [
        $"https://schemas.stacspec.org/v1.0.0/={Schemas}/stac-spec/v1.0.0/",
        $"https://geojson.org/schema/={Schemas}/geojson/",
        $"https://stac-extensions.github.io/={Schemas}/extensions/",
        $"https://proj.org/schemas/={Schemas}/proj/",
    ];

    /// <summary>Asserts that the validator passes every file (and looked at all of them).</summary>
    public static async Task AssertValidAsync(params string[] files)
    {
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Select(folder => Path.Combine(folder, "stac-node-validator")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("stac-node-validator is not installed (npm install -g stac-node-validator@2.0.0; .ci/run does it)");
        await using var validator = ChildProcess.Start(executable, [.. files, .. SchemaMaps.SelectMany(map => new[] { "--schemaMap", map })]);
        var exit = await validator.WaitAsync(TimeSpan.FromMinutes(2));
        var output = validator.Stdout + validator.Stderr;
        Assert.True(exit == 0, $"stac-node-validator exit {exit}:\n{output}");
        Assert.Contains($"Passed: {files.Length}", output);
        Assert.Contains("Invalid: 0", output);
    }
}
