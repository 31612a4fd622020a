namespace Pipeline.Grains.Stitching;

/// <summary>A stitching grain's account of its block, for the job's reconciliation after a failure: a fresh
/// activation (the old one died with its silo) holds no tiles, which tells the job what to compute again.</summary>
/// <param name="Written">The block went to the writer.</param>
/// <param name="Tiles">Tiles whose whole contribution this activation holds.</param>
[GenerateSerializer, Immutable]
public sealed record StitchProgress([property: Id(0)] bool Written, [property: Id(1)] int[] Tiles);
