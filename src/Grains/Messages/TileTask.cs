using Pipeline.Grains.Stitching;

namespace Pipeline.Grains.Messages;

/// <summary>
/// One tile of a scene job for a worker: its LR pixels in the scene's own sample type, its LR validity (null when
/// every pixel is valid), and where its blended output goes (the stitchers of <see cref="Context"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TileTask(
    [property: Id(0)] StitchContext Context,
    [property: Id(1)] int TileIndex,
    [property: Id(2)] TilePixels Lr,
    [property: Id(3)] byte[]? Validity,
    [property: Id(4)] string Model);
