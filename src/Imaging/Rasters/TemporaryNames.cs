using System.Text;

namespace Pipeline.Imaging.Rasters;

/// <summary>
/// The name a file is written under until it is complete, <c>&lt;name&gt;.partial-&lt;8 hex&gt;</c>, beside its final name.
/// A final name that is legal but too long for the suffix (file names are at most 255 bytes) is shortened first, so
/// any legal output name can be written; <see cref="Pattern"/> finds the leftovers of either kind.
/// </summary>
public static class TemporaryNames
{
    const int MaxNameBytes = 255;
    const string Marker = ".partial-";
    // ".partial-", 8 hex digits, and room for what a writer appends to its own temporary file (the COG rewrite's "-cog").
    const int SuffixBytes = 9 + 8 + 8;

    public static string For(string finalPath) =>
        Path.Combine(Path.GetDirectoryName(finalPath)!, Stem(Path.GetFileName(finalPath)) + Marker + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Where a writer lays its temporary file out at commit (the COG layout), beside it: a job whose writer died
    /// mid-commit deletes both.</summary>
    public static string LaidOut(string temporaryPath) => temporaryPath + "-cog";

    /// <summary>A search pattern (for <see cref="Directory.EnumerateFiles(string, string)"/>) matching this output's
    /// temporary files in its folder.</summary>
    public static string Pattern(string finalPath) => Stem(Path.GetFileName(finalPath)) + Marker + "*";

    /// <summary>The file name, cut (on a character boundary) to leave room for the suffix.</summary>
    static string Stem(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) + SuffixBytes <= MaxNameBytes) return name;
        var length = name.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(name.AsSpan(0, length)) + SuffixBytes > MaxNameBytes) length--;
        if (length > 0 && char.IsHighSurrogate(name[length - 1])) length--;
        return name[..length];
    }
}
