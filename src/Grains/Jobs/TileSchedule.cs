namespace Pipeline.Grains.Jobs;

/// <summary>
/// The tiles waiting to be sent, lowest index first (the plan's order: swath by swath, row-major within a swath, so
/// the blocks open at any time stay within a band of tile rows one swath wide, as in the in-process path), with
/// per-tile failure counts and the retry policy's backoff after a failure.
/// </summary>
public sealed class TileSchedule
{
    readonly SortedSet<int> waiting = [];
    readonly Dictionary<int, DateTime> notBefore = [];
    readonly Dictionary<int, int> failures = [];

    public int Count => waiting.Count;

    public void Reset(IEnumerable<int> tiles)
    {
        waiting.Clear();
        notBefore.Clear();
        failures.Clear();
        waiting.UnionWith(tiles);
    }

    public void Add(int tile) => waiting.Add(tile);

    /// <summary>The lowest waiting tile whose backoff is over (and that <paramref name="allowed"/> lets through).</summary>
    public bool TryTake(DateTime now, out int tile, Func<int, bool>? allowed = null)
    {
        foreach (var candidate in waiting)
        {
            if (notBefore.TryGetValue(candidate, out var due) && due > now) continue;
            if (allowed?.Invoke(candidate) == false) continue;
            waiting.Remove(candidate);
            notBefore.Remove(candidate);
            tile = candidate;
            return true;
        }
        tile = -1;
        return false;
    }

    /// <summary>Keeps a waiting tile from being taken before <paramref name="until"/> (or <see cref="Release"/>).</summary>
    public void Hold(int tile, DateTime until) => notBefore[tile] = until;

    public void Release(int tile) => notBefore.Remove(tile);

    /// <summary>Puts a failed tile back after a backoff; returns how many times it has failed.</summary>
    public int Failed(int tile, DateTime now, RetryPolicy retries)
    {
        var count = failures[tile] = failures.GetValueOrDefault(tile) + 1;
        notBefore[tile] = now + retries.Backoff(count);
        waiting.Add(tile);
        return count;
    }
}
