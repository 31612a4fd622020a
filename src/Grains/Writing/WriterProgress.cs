namespace Pipeline.Grains.Writing;

/// <summary>The writer's view of one generation: whether its file still exists, which blocks are in it, and
/// whether it was committed (then <see cref="Report"/> is set).</summary>
[GenerateSerializer, Immutable]
public sealed record WriterProgress(
    [property: Id(0)] bool Open,
    [property: Id(1)] int[] WrittenBlocks,
    [property: Id(2)] WriterReport? Report);
