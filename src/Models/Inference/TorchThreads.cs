namespace Pipeline.Models.Inference;

/// <summary>libtorch intra-op thread count for this process.</summary>
public static class TorchThreads
{
    /// <summary>One per core: libtorch parallelises each op internally, and more threads than cores only adds
    /// contention (the tile scheduler runs one torch tile at a time).</summary>
    public static int ForThisMachine() => Math.Max(1, Environment.ProcessorCount);

    /// <exception cref="InvalidOperationException">libtorch cannot be loaded (a build without it, and none on the library path).</exception>
    public static void Apply()
    {
        TorchAllocator.UseHugePages();
        try
        {
            TorchSharp.torch.set_num_threads(ForThisMachine());
        }
        catch (Exception e) when (IsMissingLibtorch(e))
        {
            // TorchSharp's own message is a page of advice for developers; a user needs the one thing to do.
            throw new InvalidOperationException(
                "libtorch was not found: this build carries none; put the folder holding libtorch_cpu.so (and libtorch_cuda.so) on LD_LIBRARY_PATH, as deploy/gpu/run.sh does", e);
        }
    }

    /// <summary>TorchSharp's refusal to start without libtorch, possibly wrapped by its type initialiser.</summary>
    static bool IsMissingLibtorch(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is NotSupportedException && e.Message.Contains("libtorch", StringComparison.Ordinal)) return true;
        return false;
    }
}
