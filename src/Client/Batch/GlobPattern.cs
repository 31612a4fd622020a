using Microsoft.Extensions.FileSystemGlobbing;

namespace Pipeline.Client.Batch;

/// <summary>
/// A <c>--pattern</c> glob, matched by Microsoft.Extensions.FileSystemGlobbing: <c>*</c> any characters but '/',
/// <c>**</c> any number of folders. Without a '/', it is matched against file names anywhere under the input folder
/// (<c>*_B8.tif</c>); with one, against the path relative to it (<c>2019/**/*.tif</c>). Case-sensitive, like the file
/// system. That library has no <c>?</c>, so a pattern with one is refused rather than silently matching nothing.
/// </summary>
sealed class GlobPattern
{
    readonly Matcher matcher = new(StringComparison.Ordinal);

    public GlobPattern(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw new ArgumentException("--pattern must not be empty");
        if (pattern.Contains('?')) throw new ArgumentException($"--pattern {pattern}: '?' is not supported; use '*'");
        matcher.AddInclude(pattern.Contains('/') ? pattern : "**/" + pattern);
    }

    /// <param name="relativePath">A path relative to the input folder.</param>
    public bool Matches(string relativePath) => matcher.Match(relativePath.Replace(Path.DirectorySeparatorChar, '/')).HasMatches;
}
