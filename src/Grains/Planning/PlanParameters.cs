using Pipeline.Imaging;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Planning;

/// <summary>
/// Everything <see cref="TilePlan.Create(int, int, double, int, int, TilingOptions?)"/> needs. A plan is a pure
/// function of these, so grains exchange the parameters (a few bytes) and each silo rebuilds the identical plan
/// (see <see cref="TilePlanCache"/>) instead of shipping tile and block tables.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlanParameters(
    [property: Id(0)] int SceneWidth,
    [property: Id(1)] int SceneHeight,
    [property: Id(2)] double Scale,
    [property: Id(3)] int EdgeMargin,
    [property: Id(4)] int HrAlignment,
    [property: Id(5)] int TileSize,
    [property: Id(6)] int Overlap,
    [property: Id(7)] int BlockSize,
    [property: Id(8)] int SwathBlocks = 0,
    [property: Id(9)] bool HardSeams = false)
{
    /// <summary>The parameters of the plan <see cref="SceneUpscaleJob"/> makes for the same scene and upscaler.</summary>
    public static PlanParameters For(int sceneWidth, int sceneHeight, double scale, ITileUpscaler upscaler, TilingOptions tiling) =>
        new(sceneWidth, sceneHeight, scale, upscaler.EdgeMargin, upscaler.HrAlignment, tiling.TileSize, tiling.Overlap, tiling.BlockSize, tiling.SwathBlocks, tiling.HardSeams);

    /// <exception cref="ArgumentException">The scale, tiling or scene size cannot be planned.</exception>
    public TilePlan CreatePlan() =>
        TilePlan.Create(SceneWidth, SceneHeight, Scale, EdgeMargin, HrAlignment, new TilingOptions(TileSize, Overlap, BlockSize, SwathBlocks, HardSeams));
}
