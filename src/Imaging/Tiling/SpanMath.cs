using System.Numerics;
using System.Runtime.InteropServices;

namespace Pipeline.Imaging.Tiling;

/// <summary>Element-wise float loops of the blender, vectorized with <see cref="Vector{T}"/>. Every result is the
/// same IEEE operation as the scalar tail, so vector width never changes the bits of the mosaic.</summary>
internal static class SpanMath
{
    /// <summary><paramref name="target"/>[i] = <paramref name="source"/>[i] · <paramref name="factor"/>.</summary>
    public static void Scale(ReadOnlySpan<float> source, float factor, Span<float> target)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(source);
        var targets = MemoryMarshal.Cast<float, Vector<float>>(target);
        for (var v = 0; v < vectors.Length; v++) targets[v] = vectors[v] * factor;
        for (var i = vectors.Length * Vector<float>.Count; i < source.Length; i++) target[i] = source[i] * factor;
    }

    /// <summary><paramref name="target"/>[i] = w[i] · x[i], or 0 where w[i] is 0, so that a NaN or garbage value
    /// under zero weight (nodata, the unreliable tile edge) cannot reach the sums.</summary>
    public static void Weigh(ReadOnlySpan<float> values, ReadOnlySpan<float> weights, Span<float> target)
    {
        var valueVectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        var weightVectors = MemoryMarshal.Cast<float, Vector<float>>(weights);
        var targets = MemoryMarshal.Cast<float, Vector<float>>(target);
        for (var v = 0; v < valueVectors.Length; v++)
        {
            var w = weightVectors[v];
            targets[v] = Vector.ConditionalSelect(Vector.Equals(w, Vector<float>.Zero), Vector<float>.Zero, valueVectors[v] * w);
        }
        for (var i = valueVectors.Length * Vector<float>.Count; i < values.Length; i++)
            target[i] = weights[i] == 0 ? 0 : values[i] * weights[i];
    }

    /// <summary><paramref name="target"/>[i] += <paramref name="source"/>[i].</summary>
    public static void Add(ReadOnlySpan<float> source, Span<float> target)
    {
        var sources = MemoryMarshal.Cast<float, Vector<float>>(source);
        var targets = MemoryMarshal.Cast<float, Vector<float>>(target);
        for (var v = 0; v < sources.Length; v++) targets[v] += sources[v];
        for (var i = sources.Length * Vector<float>.Count; i < source.Length; i++) target[i] += source[i];
    }

    /// <summary><paramref name="target"/>[i] = Σw·x / Σw, or <paramref name="nodata"/> where Σw is 0.</summary>
    public static void Normalize(ReadOnlySpan<float> sums, ReadOnlySpan<float> weights, float nodata, Span<float> target)
    {
        var sumVectors = MemoryMarshal.Cast<float, Vector<float>>(sums);
        var weightVectors = MemoryMarshal.Cast<float, Vector<float>>(weights);
        var targets = MemoryMarshal.Cast<float, Vector<float>>(target);
        var nodataVector = new Vector<float>(nodata);
        for (var v = 0; v < sumVectors.Length; v++)
        {
            var w = weightVectors[v];
            targets[v] = Vector.ConditionalSelect(Vector.Equals(w, Vector<float>.Zero), nodataVector, sumVectors[v] / w);
        }
        for (var i = sumVectors.Length * Vector<float>.Count; i < sums.Length; i++)
            target[i] = weights[i] == 0 ? nodata : sums[i] / weights[i];
    }
}
