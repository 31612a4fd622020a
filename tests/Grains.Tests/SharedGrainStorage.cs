using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace Pipeline.Grains.Tests;

/// <summary>
/// Grain storage that outlives any one silo, standing in for the Redis or Postgres store of a real cluster (none
/// runs here). Orleans' memory storage cannot: it keeps state in grains spread over the silos, so killing a silo
/// can take a job's manifest with it, which is exactly what a crash test must not depend on. States are stored
/// serialised (the real serialiser, so the manifest's wire form is exercised) with ETag checks like a real store.
/// </summary>
public sealed class SharedGrainStorage(Serializer serializer) : IGrainStorage
{
    static readonly ConcurrentDictionary<(string State, GrainId Grain), (byte[] Data, string ETag)> Store = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Store.TryGetValue((stateName, grainId), out var stored))
        {
            grainState.State = serializer.Deserialize<T>(stored.Data);
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var etag = Guid.NewGuid().ToString("N");
        var data = serializer.SerializeToArray(grainState.State);
        lock (Store)
        {
            var current = Store.TryGetValue(key, out var stored) ? stored.ETag : null;
            if (current != grainState.ETag)
                throw new InconsistentStateException($"ETag mismatch for {grainId}", current, grainState.ETag);
            Store[key] = (data, etag);
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Store.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
