using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Pipeline.Models.Weights;

/// <summary>
/// SHA-256 of a weights file, lower-case hex: what a job records and every worker checks, so that one job never
/// blends two models. Cached per path, size and modification time, since a silo asks once per job and the paper
/// weights are ~125 MB.
/// </summary>
public static class WeightsDigest
{
    static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), string> Cache = new();

    public static string Of(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new ModelWeightsException($"{path}: weights file not found");
        return Cache.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), key =>
        {
            using var stream = File.OpenRead(key.Path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }

    /// <summary>The first 12 hex digits, as messages show a digest.</summary>
    public static string Short(string digest) => digest.Length > 12 ? digest[..12] : digest;
}
