using Pipeline.Grains.Planning;

namespace Pipeline.Grains.Messages;

/// <summary>
/// What a stitching grain needs to know about its job, sent along with every contribution so that an activation
/// created anywhere (first contact, or after its silo died) can start accumulating without asking the job.
/// </summary>
/// <param name="JobId">Job key; also the key of the job's writer grain.</param>
/// <param name="Generation">The output file attempt (see <see cref="Writing.ISceneWriterGrain"/>); part of the stitcher's key.</param>
/// <param name="Plan">Rebuilds the plan: block windows and the tiles each block waits for.</param>
/// <param name="Bands">Bands of the scene.</param>
/// <param name="Nodata">Output value where no valid sample has weight (the scene's nodata, or 0).</param>
[GenerateSerializer, Immutable]
public sealed record StitchContext(
    [property: Id(0)] string JobId,
    [property: Id(1)] int Generation,
    [property: Id(2)] PlanParameters Plan,
    [property: Id(3)] int Bands,
    [property: Id(4)] float Nodata);
