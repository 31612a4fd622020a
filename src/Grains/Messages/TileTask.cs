using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Messages;

/// <summary>
/// One tile of a scene job for a worker: its LR pixels in the scene's own sample type, its LR validity (null when
/// every pixel is valid), where its blended output goes (the stitchers of <see cref="Context"/>), and the scene's
/// black and white levels, which a model maps to its value range the same way for every tile (0, 0 for a model that
/// needs none). Model and weights digest are the job's: the worker refuses the tile if its own differ. <see cref="Enforce"/>:
/// back-project the output onto the input before blending (<c>--consistency enforce</c>); <see cref="Measure"/> false: no
/// consistency sums (<c>--consistency off</c>). <see cref="Draws"/> ≥ 2: run the
/// model that many times with other noise and append the per-pixel spread as one more band (<c>--uncertainty</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TileTask(
    [property: Id(0)] StitchContext Context,
    [property: Id(1)] int TileIndex,
    [property: Id(2)] TilePixels Lr,
    [property: Id(3)] byte[]? Validity,
    [property: Id(4)] string Model,
    [property: Id(5)] double Black,
    [property: Id(6)] double White,
    [property: Id(7)] string? WeightsSha256,
    [property: Id(8)] bool Enforce = false,
    [property: Id(9)] int Draws = 0,
    [property: Id(10)] bool Measure = true)
{
    public ValueRange Levels => new(Black, White);
}
