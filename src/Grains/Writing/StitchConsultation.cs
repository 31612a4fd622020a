using Pipeline.Imaging.GeoTiff;

namespace Pipeline.Grains.Writing;

/// <summary>The writer's answer to a block's stitcher: whether the block is written already (or the file lost), and how
/// to encode it (null when the generation is not held).</summary>
[GenerateSerializer, Immutable]
public sealed record StitchConsultation([property: Id(0)] BlockWriteOutcome State, [property: Id(1)] TileLayout? Layout);
