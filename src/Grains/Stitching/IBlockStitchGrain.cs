using Pipeline.Grains.Messages;

namespace Pipeline.Grains.Stitching;

/// <summary>
/// Blends one output block of one job generation (key <see cref="JobGrains.Stitcher"/>): accumulates the tiles'
/// weighted contributions, and when the last expected one is in, finishes the block and hands it to the writer.
/// State lives in memory only; a lost activation is detected and recomputed by the job (see <see cref="GetProgress"/>).
/// </summary>
public interface IBlockStitchGrain : IGrainWithStringKey
{
    /// <summary>Adds a part of a tile's contribution; a repeated part or tile changes nothing.</summary>
    Task<StitchOutcome> Contribute(StitchContext context, ContributionPart part);

    Task<StitchProgress> GetProgress();

    /// <summary>Drops whatever is accumulated (the job was cancelled, failed or moved to a new generation).</summary>
    Task Discard();
}
