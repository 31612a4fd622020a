using System.Collections.Concurrent;
using Pipeline.Imaging;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

/// <summary>A scratch folder per test,
/// and each scene's reference output from the in-process <see cref="SceneUpscaleJob"/>, computed once.</summary>
sealed class SceneFiles : IDisposable
{
    static readonly string ReferenceFolder = DeletedAtExit(Directory.CreateTempSubdirectory("sr-reference-").FullName);
    static readonly ConcurrentDictionary<(string, double, int), Lazy<string>> References = new();

    public string Folder { get; } = Directory.CreateTempSubdirectory("sr-pipeline-").FullName;

    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>Files under the scratch folder, to show that no temporary output was left behind.</summary>
    public string[] Leftovers() => Directory.GetFiles(Folder).Select(Path.GetFileName).Where(name => name!.Contains(".partial-")).ToArray()!;

    /// <summary>What the in-process path writes for this scene, bicubic, default write options.</summary>
    public static string Reference(string scene, double scale, int tileSize = 128) =>
        References.GetOrAdd((scene, scale, tileSize), key => new Lazy<string>(() =>
        {
            var output = Path.Combine(ReferenceFolder, $"{Path.GetFileNameWithoutExtension(scene)}-x{scale}-t{tileSize}.tif");
            SceneUpscaleJob.Run(scene, output, scale, new BicubicUpscaler(), new SceneUpscaleOptions { Tiling = TilingOptions.For(new BicubicUpscaler(), scale, tileSize) });
            return output;
        })).Value;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    static string DeletedAtExit(string folder)
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    }
}
