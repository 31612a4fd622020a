namespace Pipeline.Grains.Writing;

/// <summary>What went into a generation's file, for checking that no block was written twice into the result.</summary>
/// <param name="TileWrites">TIFF tiles encoded into this generation's file.</param>
/// <param name="TileCount">TIFF tiles the full-resolution image has; equal to <paramref name="TileWrites"/> in a
/// committed file, since the writer encodes each tile at most once and commits only when none is missing.</param>
/// <param name="RepeatedStrips">Block strips that arrived again (a re-sent block) and were not written.</param>
/// <param name="Consistency">The output against its input (null when no pixel could be measured).</param>
/// <param name="ConsistencyMap">Where the consistency map was written, or null.</param>
/// <param name="RejectedPath">Where the output was kept instead of its path, when it failed <c>--max-inconsistency</c>; null otherwise.</param>
[GenerateSerializer, Immutable]
public sealed record WriterReport(
    [property: Id(0)] long TileWrites,
    [property: Id(1)] int TileCount,
    [property: Id(2)] int RepeatedStrips,
    [property: Id(3)] Imaging.Consistency.SceneConsistency? Consistency = null,
    [property: Id(4)] string? ConsistencyMap = null,
    [property: Id(5)] string? RejectedPath = null);
