namespace Pipeline.Grains.Jobs;

/// <summary>A job at one moment, as <c>sr status</c> and the progress bars show it.</summary>
/// <param name="TilesDone">Tiles whose contributions are all with their stitchers (or in the file).</param>
/// <param name="TileFailures">Tile attempts that failed and were retried.</param>
/// <param name="TilesRecomputed">Done tiles sent again because the stitcher holding their contribution was lost.</param>
/// <param name="Generation">Output file attempt: above 1 when a writer was lost and the file started over.</param>
/// <param name="WeightsSha256">The SHA-256 of the weights every worker ran (null for a model without weights).</param>
/// <param name="Writer">For a succeeded job, what went into the committed file.</param>
[GenerateSerializer, Immutable]
public sealed record SceneJobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobState State,
    [property: Id(2)] int TilesDone,
    [property: Id(3)] int TilesTotal,
    [property: Id(4)] int BlocksWritten,
    [property: Id(5)] int BlocksTotal,
    [property: Id(6)] string? Error,
    [property: Id(7)] string? OutputPath,
    [property: Id(8)] string? Model,
    [property: Id(9)] string? Output,
    [property: Id(10)] double OverlapOvercompute,
    [property: Id(11)] TimeSpan Elapsed,
    [property: Id(12)] int TileFailures,
    [property: Id(13)] int TilesRecomputed,
    [property: Id(14)] int Generation,
    [property: Id(15)] Writing.WriterReport? Writer,
    [property: Id(16)] string? WeightsSha256)
{
    public static SceneJobStatus Of(string jobId, SceneJobManifest m) => new(
        jobId, m.State, m.DoneTiles.Count, m.DoneTiles.Capacity, m.WrittenBlocks.Count, m.WrittenBlocks.Capacity,
        m.Error, m.Spec?.OutputPath, m.Spec?.Model, m.Output, m.OverlapOvercompute,
        m.Spec is null ? TimeSpan.Zero : (m.FinishedAt ?? DateTime.UtcNow) - m.SubmittedAt,
        m.TileFailures, m.TilesRecomputed, m.Generation, m.Writer, m.Spec?.WeightsSha256);
}
