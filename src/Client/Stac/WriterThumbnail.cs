using Pipeline.Grains;
using Pipeline.Grains.Jobs;

namespace Pipeline.Client.Stac;

/// <summary>
/// A finished job's thumbnail from its writer, which built it while the blocks came in (the jobs page's preview): reading
/// it back from the file instead decodes the whole full-resolution image where the file has no overviews (1–2 s and
/// 300 MB for a 38-Mpx output). Null when the writer no longer holds it; <see cref="OutputItem"/> then reads the file.
/// </summary>
static class WriterThumbnail
{
    public static async Task<byte[]?> FetchAsync(IGrainFactory grains, SceneJobStatus status)
    {
        try
        {
            return await grains.Writer(status.JobId).GetPreview(status.Generation);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return null;
        }
    }
}
