using System.CommandLine;
using Pipeline.Models.Weights;
using Pipeline.Models.Weights.Interchange;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>weights import|export|info</c>: the authors' PyTorch checkpoints in (<see cref="CheckpointImport"/>), this
/// project's weights out to the authors' code (<see cref="LdcsrExport"/>), and what a weights file is.
/// </summary>
static class WeightsCommand
{
    public static Command Create() => new("weights", "Imports the authors' PyTorch checkpoints, exports to them, describes weights files.")
    {
        Import(), Export(), Info(),
    };

    static Command Import()
    {
        var source = new Argument<FileInfo>("checkpoint") { Description = "LDCSR Lightning .ckpt (second or first stage) or IDM *_gen.pth" };
        var output = new Option<FileInfo>("--out") { Description = "The weights file to write (.safetensors)", Required = true };
        var command = new Command("import", "Converts a checkpoint of the authors' PyTorch code into this project's weights, reading it without running its pickle.")
        {
            source, output,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var result = CheckpointImport.Import(parse.GetValue(source)!.FullName, parse.GetValue(output)!.FullName);
            Console.WriteLine($"wrote {result.Output}: {result.Kind}, config {result.Config}, sha256 {WeightsDigest.Of(result.Output)}");
            foreach (var note in result.Notes) Console.WriteLine("  " + note);
        }));
        return command;
    }

    static Command Export()
    {
        var weights = new Argument<FileInfo>("weights") { Description = "An e2diffsr or lcmsr weights file" };
        var format = new Option<string>("--format") { Description = "ldcsr: a second-stage checkpoint the authors' code loads with strict=True", DefaultValueFactory = _ => "ldcsr" };
        format.AcceptOnlyFromAmong("ldcsr");
        var output = new Option<FileInfo>("--out") { Description = "The checkpoint to write (.ckpt)", Required = true };
        var stage1 = new Option<FileInfo?>("--stage1") { Description = "Stage-1 weights whose encoder goes in too (the reference's training needs it; without it the encoder is zeros)" };
        var command = new Command("export", "Writes weights as a checkpoint of the authors' PyTorch code.") { weights, format, output, stage1 };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var path = parse.GetValue(output)!.FullName;
            var notes = LdcsrExport.Export(parse.GetValue(weights)!.FullName, path, parse.GetValue(stage1)?.FullName);
            Console.WriteLine($"wrote {path}");
            foreach (var note in notes) Console.WriteLine("  " + note);
        }));
        return command;
    }

    static Command Info()
    {
        var weights = new Argument<FileInfo>("weights") { Description = "A weights file (.safetensors)" };
        var command = new Command("info", "Prints a weights file's kind, configuration, parameter count, SHA-256 and provenance.") { weights };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            foreach (var (field, value) in WeightsInfo.Describe(parse.GetValue(weights)!.FullName)) Console.WriteLine($"{field,-18} {value}");
        }));
        return command;
    }
}
