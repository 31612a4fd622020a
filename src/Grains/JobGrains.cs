using Pipeline.Grains.Jobs;
using Pipeline.Grains.Stitching;
using Pipeline.Grains.Writing;

namespace Pipeline.Grains;

/// <summary>How the grains of one scene job are addressed.</summary>
public static class JobGrains
{
    public static ISceneJobGrain Job(this IGrainFactory grains, string jobId) => grains.GetGrain<ISceneJobGrain>(jobId);

    public static ISceneWriterGrain Writer(this IGrainFactory grains, string jobId) => grains.GetGrain<ISceneWriterGrain>(jobId);

    /// <summary>The generation is part of the key, so a new output file attempt starts from empty stitchers and
    /// contributions meant for an abandoned file can never leak into the new one.</summary>
    public static IBlockStitchGrain Stitcher(this IGrainFactory grains, string jobId, int generation, int blockIndex) =>
        grains.GetGrain<IBlockStitchGrain>($"{jobId}/{generation}/{blockIndex}");
}
