using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Client.Batch;

/// <summary>
/// What a scene's output path holds. Outputs are written as <c>&lt;output&gt;.partial-&lt;random&gt;</c> and renamed
/// only when complete, so a file under the final name whose header describes what this scene would write (size,
/// bands, type, georeferencing) is a finished output; partial files are what a run that died left behind.
/// </summary>
static class SceneOutputs
{
    /// <param name="expected">The input's header scaled by the scene's scale (<see cref="RasterInfo.ScaledBy"/>).</param>
    public static bool IsComplete(string output, RasterInfo expected)
    {
        if (!File.Exists(output)) return false;
        try
        {
            using var reader = GeoTiffReader.Open(output);
            var info = reader.Info;
            return info.Width == expected.Width && info.Height == expected.Height && info.Bands == expected.Bands
                   && info.SampleType == expected.SampleType && SameTransform(info.Geo?.GeoTransform, expected.Geo?.GeoTransform);
        }
        catch (Exception e) when (e is RasterFormatException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Deletes the temporary files of earlier attempts at this output (only call when no job is writing it).</summary>
    public static void DeleteLeftovers(string output)
    {
        var folder = Path.GetDirectoryName(output)!;
        if (!Directory.Exists(folder)) return;
        foreach (var leftover in Directory.EnumerateFiles(folder, TemporaryNames.Pattern(output)))
            File.Delete(leftover);
    }

    static bool SameTransform(double[]? actual, double[]? expected) =>
        actual is null || expected is null
            ? actual is null && expected is null
            : actual.Length == expected.Length && actual.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 1e-9 * Math.Max(1, Math.Abs(p.Second)));
}
