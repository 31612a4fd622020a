using Pipeline.Client.Batch;

namespace Pipeline.Client.Tests;

/// <summary>How batch inputs are read: manifests (CSV, JSON), folders and globs, and the refusals, each naming the file.</summary>
public sealed class SceneListTests : IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("sr-scenes-").FullName;

    [Fact]
    public void Csv_columns_may_come_in_any_order_with_quotes_and_blank_cells()
    {
        var manifest = Write("m.csv", "scale, INPUT ,output\n\n3,\"a, b.tif\",\n,/abs/c.tif,\"out \"\"x\"\".tif\"\n");

        var scenes = SceneList.Load(manifest, "/out", 2, null);

        Assert.Equal(
            [new BatchScene(Path.Combine(work, "a, b.tif"), "/out/a, b.tif", 3), new BatchScene("/abs/c.tif", Path.Combine(work, "out \"x\".tif"), 2)],
            scenes);
    }

    [Theory]
    [InlineData("input,ouput\na.tif,b.tif\n", ":1: unknown column 'ouput'")]
    [InlineData("output\nb.tif\n", ":1: the header has no 'input' column")]
    [InlineData("input,scale\na.tif,2\nb.tif,x4\n", ":3: scale 'x4' is not a number")]
    [InlineData("input,scale\na.tif,2,9\n", ":2: 3 fields, the header has 2")]
    [InlineData("input\n\"a.tif\n", ":2: a quoted field is not closed")]
    [InlineData("input\n  \n", ": the manifest lists no scenes")]
    [InlineData("input\na.tif\n./a.tif\n", "would both be written to")]
    [InlineData("input,output\na.tif,b.tif\nb.tif,c.tif\n", "a.tif would be written to")]
    public void A_malformed_csv_manifest_is_refused_naming_the_file_and_line(string text, string problem)
    {
        var manifest = Write("bad.csv", text);

        var error = Assert.ThrowsAny<InvalidDataException>(() => SceneList.Load(manifest, "/out", 2, null));

        Assert.StartsWith(manifest, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("{\"input\": \"a.tif\"}", ": expected an array")]
    [InlineData("[{\"input\": \"a.tif\", \"scale\": \"4\"}]", ": entry 1: scale must be a number")]
    [InlineData("[{\"input\": \"a.tif\"}, {\"output\": \"b.tif\"}]", ": entry 2: no input")]
    [InlineData("[{\"input\": \"a.tif\", \"sacle\": 4}]", ": entry 1: unknown property 'sacle'")]
    [InlineData("[{\"input\": ", ": not valid JSON")]
    public void A_malformed_json_manifest_is_refused_naming_the_file_and_entry(string text, string problem)
    {
        var manifest = Write("bad.json", text);

        var error = Assert.ThrowsAny<InvalidDataException>(() => SceneList.Load(manifest, "/out", 2, null));

        Assert.StartsWith(manifest, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_folder_inside_which_the_output_lies_does_not_list_earlier_outputs()
    {
        Write("a.tif", "");
        Write("out/a.tif", "");
        Write("sub/b.TIF", "");
        Write("sub/b.tif.partial-12345678", "");

        var scenes = SceneList.Load(work, Path.Combine(work, "out"), 4, null);

        Assert.Equal([Path.Combine(work, "a.tif"), Path.Combine(work, "sub", "b.TIF")], scenes.Select(s => s.Input));
        Assert.Equal(Path.Combine(work, "out", "sub", "b.TIF"), scenes[1].Output);
    }

    [Fact]
    public void A_link_to_a_folder_is_not_followed_so_a_loop_lists_each_scene_once()
    {
        Write("a.tif", "");
        Write("sub/b.tif", "");
        File.CreateSymbolicLink(Path.Combine(work, "loop"), work);
        File.CreateSymbolicLink(Path.Combine(work, "sub", "linked.tif"), Path.Combine(work, "a.tif"));

        var scenes = SceneList.Load(work, "/out", 2, null);

        Assert.Equal([Path.Combine(work, "a.tif"), Path.Combine(work, "sub", "b.tif"), Path.Combine(work, "sub", "linked.tif")], scenes.Select(s => s.Input));
    }

    [Fact]
    public void An_empty_folder_is_refused_naming_it()
    {
        var error = Assert.Throws<InvalidDataException>(() => SceneList.Load(work, "/out", 2, "*.jp2"));

        Assert.Equal($"{work}: no scenes match --pattern *.jp2", error.Message);
    }

    [Theory]
    [InlineData("*.tif", "a/b/scene.tif", true)]
    [InlineData("*.tif", "scene.tiff", false)]
    [InlineData("*_B8.tif", "x/LC08_B8.tif", true)]
    [InlineData("2019/*.tif", "2019/a.tif", true)]
    [InlineData("2019/*.tif", "2019/x/a.tif", false)]
    [InlineData("2019/**/*.tif", "2019/a.tif", true)]
    [InlineData("2019/**/*.tif", "2019/x/y/a.tif", true)]
    [InlineData("2019/**/*.tif", "2020/x/a.tif", false)]
    [InlineData("scene_*.tif", "x/scene_12.tif", true)]
    [InlineData("**/*.tif", "a/b/c.tif", true)]
    [InlineData("a+b (1).tif", "a+b (1).tif", true)]
    public void Globs_match_file_names_or_relative_paths(string pattern, string path, bool matches) =>
        Assert.Equal(matches, new GlobPattern(pattern).Matches(path));

    [Fact]
    public void A_question_mark_which_the_glob_library_lacks_is_refused_in_one_line() =>
        Assert.Equal("--pattern scene_?.tif: '?' is not supported; use '*'", Assert.Throws<ArgumentException>(() => new GlobPattern("scene_?.tif")).Message);

    string Write(string relative, string text)
    {
        var path = Path.Combine(work, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
