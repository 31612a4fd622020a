using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Client.Batch;

/// <summary>
/// A <c>--pattern</c> glob: <c>*</c> any characters but '/', <c>?</c> one such character, <c>**/</c> any number of
/// folders. Without a '/', it is matched against file names (<c>*_B8.tif</c>); with one, against the path relative to
/// the input folder (<c>2019/**/*.tif</c>). Case-sensitive, like the file system.
/// </summary>
sealed class GlobPattern
{
    readonly Regex regex;
    readonly bool wholePath;

    public GlobPattern(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw new ArgumentException("--pattern must not be empty");
        wholePath = pattern.Contains('/');
        regex = new Regex("^" + Translate(pattern) + "$", RegexOptions.CultureInvariant);
    }

    /// <param name="relativePath">A path relative to the input folder.</param>
    public bool Matches(string relativePath)
    {
        var path = relativePath.Replace(Path.DirectorySeparatorChar, '/');
        return regex.IsMatch(wholePath ? path : path[(path.LastIndexOf('/') + 1)..]);
    }

    static string Translate(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" is zero or more whole folders; a trailing "**" is anything at all.
                var folders = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(folders ? "(?:[^/]*/)*" : ".*");
                i += folders ? 2 : 1;
            }
            else if (pattern[i] == '*') regex.Append("[^/]*");
            else if (pattern[i] == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(pattern[i].ToString()));
        }
        return regex.ToString();
    }
}
