using System.Runtime.InteropServices;

namespace Pipeline.Imaging.Access;

/// <summary>
/// Folders a silo's jobs may read from or write to (<c>Pipeline:Inputs:Roots</c>, <c>Pipeline:Outputs:Roots</c>).
/// A path is inside when its real path (every link followed, <c>..</c> resolved, as the kernel will open it) is a
/// root or lies under one; for a file that does not exist yet, its nearest existing folder's real path counts. No
/// roots: anywhere (the CLI, and a silo left at its defaults).
/// </summary>
public sealed partial record PathRoots(IReadOnlyList<string> Folders)
{
    public static PathRoots Anywhere { get; } = new([]);

    public bool Confines => Folders.Count > 0;

    /// <summary>Where <paramref name="path"/> really is when that is outside every root, else null.</summary>
    public string? Outside(string path)
    {
        if (!Confines) return null;
        var real = RealPath(path);
        return Folders.Select(RealPath).Any(root => real == root || real.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal)) ? null : real;
    }

    /// <summary>The real path of <paramref name="path"/>, or of its nearest existing ancestor with the rest appended.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var rest = new Stack<string>();
        for (var current = full; ; current = Path.GetDirectoryName(current)!)
        {
            if (Resolve(current) is { } resolved) return rest.Aggregate(resolved, Path.Combine);
            if (Path.GetDirectoryName(current) is null) return full;
            rest.Push(Path.GetFileName(current));
        }
    }

    static string? Resolve(string path)
    {
        var resolved = RealPathNative(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
