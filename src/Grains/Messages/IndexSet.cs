namespace Pipeline.Grains.Messages;

/// <summary>
/// A set of indices in [0, <see cref="Capacity"/>) as a bitmap: the done tiles and written blocks of a job
/// manifest, persisted on every checkpoint, so a 100 000-tile scene costs 12.5 KB rather than a list of numbers.
/// Public settable properties so any grain-storage serializer (Orleans binary or JSON) round-trips it.
/// </summary>
[GenerateSerializer]
public sealed class IndexSet
{
    public IndexSet()
    {
    }

    public IndexSet(int capacity)
    {
        Capacity = capacity;
        Bits = new byte[(capacity + 7) / 8];
    }

    [Id(0)] public int Capacity { get; set; }
    [Id(1)] public byte[] Bits { get; set; } = [];
    [Id(2)] public int Count { get; set; }

    public bool IsFull => Count == Capacity;

    public bool Contains(int index) => (Bits[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>Adds <paramref name="index"/>; false if it was already there.</summary>
    public bool Add(int index)
    {
        if (Contains(index)) return false;
        Bits[index >> 3] |= (byte)(1 << (index & 7));
        Count++;
        return true;
    }

    /// <summary>Removes <paramref name="index"/>; false if it was not there.</summary>
    public bool Remove(int index)
    {
        if (!Contains(index)) return false;
        Bits[index >> 3] &= (byte)~(1 << (index & 7));
        Count--;
        return true;
    }

    public void Clear()
    {
        Array.Clear(Bits);
        Count = 0;
    }

    public IEnumerable<int> Members()
    {
        for (var i = 0; i < Capacity; i++)
            if (Contains(i)) yield return i;
    }
}
