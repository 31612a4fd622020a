using System.Collections;

namespace Pipeline.Imaging.Tiling;

/// <summary>A read-only list whose items are computed from their index when asked for (nothing is stored).</summary>
internal sealed class IndexedList<T>(int count, Func<int, T> item) : IReadOnlyList<T>
{
    public int Count => count;

    public T this[int index] => (uint)index < (uint)count ? item(index) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < count; i++) yield return item(i);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
