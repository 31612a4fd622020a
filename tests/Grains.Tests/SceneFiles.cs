using System.Collections.Concurrent;
using Pipeline.Imaging;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

/// <summary>The shared real scenes (../shared/data/scenes from the repository root), a scratch folder per test,
/// and each scene's reference output from the in-process <see cref="SceneUpscaleJob"/>, computed once.</summary>
sealed class SceneFiles : IDisposable
{
    static readonly string RepoRoot = FindRepoRoot();
    static readonly string ScenesFolder = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "scenes"));
    static readonly string ReferenceFolder = DeletedAtExit(Directory.CreateTempSubdirectory("sr-reference-").FullName);
    static readonly ConcurrentDictionary<(string, double, int), Lazy<string>> References = new();

    /// <summary>627×603, four uint16 bands.</summary>
    public static string Landsat8Rgbnir => Path.Combine(ScenesFolder, "landsat8_UTM16N_30m_RGBNIR_627x603.tif");

    /// <summary>967×973, six uint16 bands.</summary>
    public static string Sentinel2 => Path.Combine(ScenesFolder, "sentinel2_T18SVG_20160112_L1C_20m_6band_967x973.tif");

    /// <summary>791×718, three uint8 bands.</summary>
    public static string Landsat7Rgb => Path.Combine(ScenesFolder, "extra", "landsat7_RGB.byte_791x718.tif");

    public string Folder { get; } = Directory.CreateTempSubdirectory("sr-pipeline-").FullName;

    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>Files under the scratch folder, to show that no temporary output was left behind.</summary>
    public string[] Leftovers() => Directory.GetFiles(Folder).Select(Path.GetFileName).Where(name => name!.Contains(".partial-")).ToArray()!;

    /// <summary>What the in-process path writes for this scene, bicubic, default write options.</summary>
    public static string Reference(string scene, double scale, int tileSize = 128) =>
        References.GetOrAdd((scene, scale, tileSize), key => new Lazy<string>(() =>
        {
            var output = Path.Combine(ReferenceFolder, $"{Path.GetFileNameWithoutExtension(scene)}-x{scale}-t{tileSize}.tif");
            SceneUpscaleJob.Run(scene, output, scale, new BicubicUpscaler(), new SceneUpscaleOptions { Tiling = new TilingOptions(tileSize) });
            return output;
        })).Value;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    static string DeletedAtExit(string folder)
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    }

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Pipeline.sln above {AppContext.BaseDirectory}");
    }
}
