using System.Collections.Concurrent;

namespace Pipeline.Grains.Workers;

/// <summary>
/// A fixed set of threads for model calls, one per model slot. libtorch's CPU kernels run on an OpenMP thread team that
/// belongs to the calling thread: calls made from whichever thread-pool thread is free each grow a team of their own,
/// whose idle threads then spin against the team at work (on 2 cores the pipeline spent 13 % more CPU per torch tile
/// than a loop calling from one thread). With the same few threads calling, the teams stay few and warm.
/// </summary>
public sealed class ModelThreads : IDisposable
{
    readonly BlockingCollection<Action> work = new();

    public ModelThreads(int count)
    {
        for (var i = 0; i < count; i++)
            new Thread(Serve) { IsBackground = true, Name = $"model {i}" }.Start();
    }

    /// <exception cref="OrleansException">The service stopped (the silo is going away): a failure of the cluster, retried elsewhere.</exception>
    public Task<T> Run<T>(Func<T> call, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Execute()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                result.TrySetCanceled(cancellationToken);
                return;
            }
            try
            {
                result.TrySetResult(call());
            }
            catch (Exception e)
            {
                result.TrySetException(e);
            }
        }

        if (!work.TryAdd(Execute)) throw new OrleansException("the inference service of this silo has stopped");
        return result.Task;
    }

    void Serve()
    {
        foreach (var item in work.GetConsumingEnumerable()) item();
    }

    /// <summary>Lets the threads finish the calls they hold, then end.</summary>
    public void Dispose() => work.CompleteAdding();
}
