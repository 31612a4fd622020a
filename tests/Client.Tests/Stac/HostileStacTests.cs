using System.Text.Json.Nodes;

namespace Pipeline.Client.Tests.Stac;

/// <summary>STAC documents are inputs like any other, so hostile too: an ItemCollection of items whose ids try to
/// name files outside the output folder and whose assets point at system files, devices, FIFOs, GDAL's memory and
/// virtual file systems, closed ports, STAC JSON, or hold nonsense, run through one real <c>sr batch</c>. Every item
/// ends as an output inside the output folder or one clean error line; nothing is written anywhere else.</summary>
public sealed class HostileStacTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("sr-stac-hostile-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static JsonObject Item(string id, JsonNode? assets) => new()
    {
        ["type"] = "Feature", ["stac_version"] = "1.0.0", ["id"] = id, ["geometry"] = null,
        ["properties"] = new JsonObject { ["datetime"] = "2020-01-01T00:00:00Z" }, ["links"] = new JsonArray(), ["assets"] = assets,
    };

    static JsonObject Data(string href, JsonObject? band = null) => new()
    {
        ["data"] = new JsonObject { ["href"] = href, ["roles"] = new JsonArray("data"), ["raster:bands"] = new JsonArray(band ?? []) },
    };

    [Fact]
    public async Task Hostile_items_end_in_an_output_inside_the_output_folder_or_one_clean_error()
    {
        var inputs = Directory.CreateDirectory(Path.Combine(folder, "in")).FullName;
        File.Copy(TestScenes.LandsatRgbnir, Path.Combine(inputs, "scene.tif"));
        var fifo = Path.Combine(inputs, "fifo.tif");
        Tools.Run("mkfifo", fifo);
        var items = new JsonArray(
            Item("control", Data("./scene.tif")),
            Item("../../escaped", Data("./scene.tif")),
            Item("/tmp/absolute", Data("./scene.tif")),
            Item("a:b,c\"d", Data("./scene.tif")),
            Item("numbers", Data("./scene.tif", new JsonObject { ["nodata"] = "abc", ["scale"] = 1e308, ["offset"] = "x" })),
            Item("environ", Data("/proc/self/environ")),
            Item("passwd", Data("/etc/passwd")),
            Item("zero", Data("/dev/zero")),
            Item("fifo", Data(fifo)),
            Item("folder", Data(inputs)),
            Item("memory", Data("MEM:::DATAPOINTER=0x10,PIXELS=64,LINES=48,BANDS=1,DATATYPE=UInt16")),
            Item("vsimem", Data("/vsimem/x.tif")),
            Item("closed-port", Data("http://127.0.0.1:9/x.tif")),
            Item("itself", Data("./hostile.json")),
            Item("nested", Data("STAC:\"./hostile.json\"")),
            Item("no-assets", new JsonObject()),
            Item("assets-array", new JsonArray()),
            Item("no-href", new JsonObject { ["data"] = new JsonObject { ["roles"] = new JsonArray("data") } }));
        var document = Path.Combine(inputs, "hostile.json");
        File.WriteAllText(document, new JsonObject { ["type"] = "FeatureCollection", ["features"] = items }.ToJsonString());
        var outputs = Path.Combine(folder, "out");
        var before = Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).ToHashSet();

        await using var batch = Sr.Start(["batch", "--input", document, "--output", outputs, "--scale", "2", "--model", "bicubic", "--quiet"]);
        var exit = await batch.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exit == 1, batch.Stdout + batch.Stderr);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outputs, "batch-report.json")))!["scenes"]!.AsArray();
        Assert.Equal(items.Count, report.Count);
        var done = report.Where(s => (string?)s!["status"] == "done").Select(s => Path.GetFileName((string)s!["output"]!)).Order().ToList();
        Assert.Equal(["_.._.._escaped.tif", "_tmp_absolute.tif", "a_b_c_d.tif", "control.tif", "numbers.tif"], done);
        foreach (var failed in report.Where(s => (string?)s!["status"] == "failed"))
        {
            var error = (string)failed!["error"]!;
            Assert.StartsWith("STAC:\"", error);
            Assert.DoesNotContain('\n', error);
            Assert.DoesNotContain("Exception", error);
        }
        // Nothing outside the output folder, nothing left half-written in it.
        var written = Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Where(p => !before.Contains(p)).ToList();
        Assert.All(written, path => Assert.StartsWith(outputs, path));
        Assert.DoesNotContain(written, path => path.Contains(".partial-"));
        Assert.False(File.Exists("/tmp/absolute.tif"));
    }
}
