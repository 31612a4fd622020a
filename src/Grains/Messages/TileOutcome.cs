namespace Pipeline.Grains.Messages;

/// <summary>A tile whose contributions every stitcher has accepted.</summary>
/// <param name="TileIndex">The tile.</param>
/// <param name="WrittenBlocks">Blocks found written while delivering (this tile completed them, or they were done before).</param>
/// <param name="WriterLost">A stitcher found the generation's file gone; nothing else in this outcome counts.</param>
/// <param name="ModelMilliseconds">Time in the model alone.</param>
/// <param name="ExecutedOn">The silo that ran the model.</param>
[GenerateSerializer, Immutable]
public sealed record TileOutcome(
    [property: Id(0)] int TileIndex,
    [property: Id(1)] int[] WrittenBlocks,
    [property: Id(2)] bool WriterLost,
    [property: Id(3)] double ModelMilliseconds,
    [property: Id(4)] SiloAddress ExecutedOn);
