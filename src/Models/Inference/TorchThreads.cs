namespace Pipeline.Models.Inference;

/// <summary>libtorch intra-op thread count for this process.</summary>
public static class TorchThreads
{
    /// <summary>One per core: libtorch parallelises each op internally, and more threads than cores only adds
    /// contention (the tile scheduler runs one torch tile at a time).</summary>
    public static int ForThisMachine() => Math.Max(1, Environment.ProcessorCount);

    public static void Apply()
    {
        TorchAllocator.UseHugePages();
        TorchSharp.torch.set_num_threads(ForThisMachine());
    }
}
