using System.CommandLine;

namespace Pipeline.Client.Commands;

static class UpscaleCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("input") { Description = "Input GeoTIFF" };
        var output = new Option<FileInfo>("--out") { Description = "Output GeoTIFF", Required = true };
        var scale = new Option<double>("--scale") { Description = "Scale factor (any real number > 1, e.g. 2, 3.5, 4)", Required = true };
        var command = new Command("upscale", "Super-resolves one scene into a georeferenced mosaic.") { input, output, scale };
        command.SetAction(parse => { Console.WriteLine($"{parse.GetValue(input)} {parse.GetValue(output)} {parse.GetValue(scale)}"); return 0; });
        return command;
    }
}
