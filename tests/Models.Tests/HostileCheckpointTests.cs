using System.IO.Compression;
using System.Text;
using Pipeline.Models.Weights;
using Pipeline.Models.Weights.Interchange;
using Xunit.Abstractions;

namespace Pipeline.Models.Tests;

/// <summary>
/// Checkpoints that are not what they claim: a pickle reaching for code (os.system, builtins.eval, also deep inside an
/// otherwise real checkpoint) runs nothing and is refused naming the file and the global; a truncated, a half-written,
/// a legacy-format and an empty file each get their own one-line error, and no output is written.
/// </summary>
public class HostileCheckpointTests(ITestOutputHelper output) : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("hostile-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    string Out => Path.Combine(folder, "out.safetensors");

    string Refused(string source)
    {
        var error = Assert.Throws<ModelWeightsException>(() => CheckpointImport.Import(source, Out, [TinyConfigs.Sr]));
        output.WriteLine(error.Message);
        Assert.StartsWith(source + ": ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(File.Exists(Out));
        Assert.Empty(Directory.GetFiles(folder, "out.safetensors*"));
        return error.Message;
    }

    /// <summary>A zip archive as torch.save writes it, around the given pickle.</summary>
    string Archive(string name, byte[] pickle)
    {
        var path = Path.Combine(folder, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var stream = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open()) stream.Write(pickle);
        using (var stream = zip.CreateEntry("archive/version", CompressionLevel.NoCompression).Open()) stream.Write("3\n"u8);
        return path;
    }

    static byte[] Text(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>REDUCE of <c>module.name(argument)</c>, as a pickle that runs a command would have it.</summary>
    static byte[] Call(string module, string name, string argument)
    {
        var arg = Encoding.UTF8.GetBytes(argument);
        return [.. Text($"c{module}\n{name}\n"), (byte)'X', .. BitConverter.GetBytes(arg.Length), .. arg, 0x85, (byte)'R'];
    }

    [Theory]
    [InlineData("os", "system", "os.system")]
    [InlineData("posix", "system", "posix.system")]
    [InlineData("__builtin__", "eval", "__builtin__.eval")]
    [InlineData("builtins", "exec", "builtins.exec")]
    [InlineData("subprocess", "check_output", "subprocess.check_output")]
    public void A_pickle_calling_code_runs_nothing_and_is_refused_by_name(string module, string name, string shown)
    {
        var marker = Path.Combine(folder, "ran");
        var command = name is "eval" or "exec" ? $"open('{marker}', 'w')" : $"touch {marker}";
        var source = Archive("evil.ckpt", [0x80, 0x02, .. Call(module, name, command), (byte)'.']);
        var message = Refused(source);
        Assert.Contains($"'{shown}'", message);
        Assert.Contains("nothing was run", message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Code_hidden_deep_in_a_real_looking_checkpoint_is_refused()
    {
        var marker = Path.Combine(folder, "ran");
        // {"state_dict": {}, "callbacks": {"ModelCheckpoint": <os.system('touch marker')>}} with protocol 2 opcodes
        byte[] pickle =
        [
            0x80, 0x02, (byte)'}', (byte)'(', .. Key("state_dict"), (byte)'}', .. Key("callbacks"), (byte)'}', .. Key("ModelCheckpoint"),
            .. Call("os", "system", $"touch {marker}"), (byte)'s', (byte)'u', (byte)'.',
        ];
        var message = Refused(Archive("deep.ckpt", pickle));
        Assert.Contains("'os.system'", message);
        Assert.False(File.Exists(marker));

        static byte[] Key(string key) => [(byte)'X', .. BitConverter.GetBytes(key.Length), .. Encoding.UTF8.GetBytes(key)];
    }

    [Fact]
    public void A_whole_module_pickled_instead_of_its_state_dict_is_refused_by_class()
    {
        byte[] pickle = [0x80, 0x02, .. Text("cmodules.e2sr.s1_v6\nGAPDecoder\n"), (byte)')', 0x81, (byte)'.'];
        Assert.Contains("'modules.e2sr.s1_v6.GAPDecoder'", Refused(Archive("module.pth", pickle)));
    }

    [Fact]
    public void A_truncated_file_says_so()
    {
        var whole = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "ldcsr-tiny-e2diffsr.ckpt"));
        var source = Path.Combine(folder, "cut.ckpt");
        File.WriteAllBytes(source, whole[..(whole.Length * 6 / 10)]);
        Assert.Contains("truncated", Refused(source));
    }

    [Fact]
    public void A_half_written_file_says_so()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "ldcsr-tiny-e2diffsr.ckpt"));
        Array.Clear(bytes, bytes.Length / 2, 4096); // the blocks a writer reserved but never filled
        var source = Path.Combine(folder, "half.ckpt");
        File.WriteAllBytes(source, bytes);
        Assert.Contains("half-written", Refused(source));
    }

    [Fact]
    public void A_legacy_format_file_says_so()
    {
        var source = Path.Combine(folder, "legacy.pth");
        File.WriteAllBytes(source, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, (byte)'.']);
        Assert.Contains("legacy (pre-zip", Refused(source));
    }

    [Fact]
    public void An_empty_file_and_a_stranger_say_so()
    {
        var empty = Path.Combine(folder, "empty.ckpt");
        File.WriteAllBytes(empty, []);
        Assert.Contains("empty file", Refused(empty));
        var png = Path.Combine(folder, "image.ckpt");
        File.WriteAllBytes(png, [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]);
        Assert.Contains("not a PyTorch checkpoint", Refused(png));
    }
}
