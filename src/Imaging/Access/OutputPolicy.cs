using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Access;

/// <summary>Where a silo's jobs may write (<c>Pipeline:Outputs:Roots</c>): the output, and the files written beside it
/// (its temporary name, its consistency map), must resolve inside a root. No roots: anywhere.</summary>
public sealed record OutputPolicy(PathRoots Roots)
{
    public static OutputPolicy Anywhere { get; } = new(PathRoots.Anywhere);

    /// <summary>What is wrong with writing <paramref name="outputPath"/>, or null.</summary>
    public RasterFormatException? Problem(string outputPath) => Roots.Outside(outputPath) is { } real
        ? new RasterFormatException(outputPath, $"is outside Pipeline:Outputs:Roots ({string.Join(", ", Roots.Folders)}){(real == Path.GetFullPath(outputPath) ? "" : $": it is {real}")}")
        : null;
}
