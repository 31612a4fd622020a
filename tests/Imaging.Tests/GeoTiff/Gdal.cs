using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

/// <summary>Runs the GDAL command-line tools: the independent reference our reader and writer are checked against.</summary>
internal static class Gdal
{
    public static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }

    /// <summary>gdal_translate <paramref name="source"/> to <paramref name="target"/> with extra options.</summary>
    public static string Translate(string source, string target, params string[] options)
    {
        Run("gdal_translate", [.. options, "-q", source, target]);
        return target;
    }

    public static JsonElement Info(string path) =>
        JsonDocument.Parse(Run("gdalinfo", "-json", "-proj4", path)).RootElement;

    /// <summary>Every sample decoded by GDAL (bands band-sequential, as in a <see cref="RasterBlock"/>), via a raw ENVI file.</summary>
    public static float[] Decode(string path, RasterSampleType type, params string[] options)
    {
        var raw = Path.Combine(Path.GetTempPath(), "gdal-decode-" + Guid.NewGuid().ToString("N") + ".img");
        try
        {
            Translate(path, raw, [.. options, "-of", "ENVI", "-co", "INTERLEAVE=BSQ"]);
            var bytes = File.ReadAllBytes(raw);
            return type switch
            {
                RasterSampleType.Byte => Array.ConvertAll(bytes, b => (float)b),
                RasterSampleType.UInt16 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(bytes).ToArray(), v => (float)v),
                RasterSampleType.Int16 => Array.ConvertAll(MemoryMarshal.Cast<byte, short>(bytes).ToArray(), v => (float)v),
                RasterSampleType.Float32 => MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
                _ => throw new ArgumentOutOfRangeException(nameof(type)),
            };
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(raw)!, Path.GetFileNameWithoutExtension(raw) + ".*"))
                File.Delete(file);
        }
    }
}
