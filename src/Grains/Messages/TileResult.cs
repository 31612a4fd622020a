namespace Pipeline.Grains.Messages;

/// <summary>The HR pixels of one tile, with where and how fast they were computed.</summary>
[GenerateSerializer, Immutable]
public sealed class TileResult(string jobId, int tileIndex, TilePixels hr, string model, double modelMilliseconds, SiloAddress executedOn)
{
    [Id(0)] public string JobId { get; } = jobId;
    [Id(1)] public int TileIndex { get; } = tileIndex;
    [Id(2)] public TilePixels Hr { get; } = hr;

    /// <summary>The upscaler's name (<see cref="Pipeline.Imaging.ITileUpscaler.Name"/>).</summary>
    [Id(3)] public string Model { get; } = model;

    /// <summary>Time in the model alone, without waiting for a slot or (un)packing pixels.</summary>
    [Id(4)] public double ModelMilliseconds { get; } = modelMilliseconds;

    /// <summary>The silo that ran the model.</summary>
    [Id(5)] public SiloAddress ExecutedOn { get; } = executedOn;
}
