using System.CommandLine;

namespace Pipeline.Client.Commands;

static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measures read/write throughput, blending throughput and peak memory on real scenes.");
        var scenes = new Option<DirectoryInfo>("--scenes") { Description = "Folder of GeoTIFF scenes", DefaultValueFactory = _ => new DirectoryInfo("../shared/data/scenes") };
        command.Options.Add(scenes);
        command.SetAction(parse => { Console.WriteLine(parse.GetValue(scenes)!.FullName); return 0; });
        return command;
    }
}
