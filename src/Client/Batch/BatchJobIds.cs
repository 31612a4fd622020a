using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Grains.Jobs;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Client.Batch;

/// <summary>
/// Job ids for batch scenes: the same whenever the same scene runs with the same options, so that a batch started
/// again after its client died finds, on a cluster, the jobs the dead client had submitted, and follows them instead
/// of starting them over. The attempt number moves on when the job under an id ended without a usable output.
/// </summary>
static class BatchJobIds
{
    public static string For(SceneJobSpec spec, int attempt)
    {
        var key = string.Create(CultureInfo.InvariantCulture,
            $"{spec.InputPath}\n{spec.OutputPath}\n{spec.Scale:R}\n{spec.Model}\n{spec.TileSize}\n{spec.Overlap}\n{spec.BlockSize}\n{spec.Compression}\n{spec.Format == OutputKind.Cog}\n{spec.MaxTilesInFlight}\n{spec.RetriesOrDefault.TileAttempts}\n{spec.Batch}\n{spec.SwathBlocks}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        return $"batch-{Path.GetFileNameWithoutExtension(spec.InputPath)}-{hash}-{attempt}";
    }
}
