using Pipeline.Models.Weights.PyTorch;

namespace Pipeline.Models.Weights.Interchange;

/// <summary>
/// Chooses the configuration whose state dict a checkpoint's tensors fill exactly, or fails in one line that names
/// the file, the configuration it looks most like, and its first missing and unexpected keys and shape mismatches.
/// </summary>
public static class ArchitectureMatch
{
    public sealed record Candidate(string Name, IReadOnlyDictionary<string, long[]> Shapes);

    /// <summary>The configuration among <paramref name="configs"/> whose model (<paramref name="build"/>) the tensors fill.</summary>
    /// <param name="what">The checkpoint kind with its article ("an IDM").</param>
    public static TConfig Choose<TConfig>(string path, string what, ImportedTensors imported, IReadOnlyList<TConfig> configs,
        Func<TConfig, string> name, Func<TConfig, TorchSharp.torch.nn.Module> build)
    {
        var candidates = configs.Select(c =>
        {
            using var model = build(c);
            return new Candidate(name(c), ShapesOf(model));
        }).ToList();
        var chosen = Choose(path, what, imported, candidates);
        return configs.First(c => name(c) == chosen.Name);
    }

    static Candidate Choose(string path, string what, ImportedTensors imported, IReadOnlyList<Candidate> candidates)
    {
        var scored = candidates.Select(c => (Candidate: c, Problems: Problems(imported, c))).ToList();
        var best = scored.OrderBy(s => s.Problems.Count).ThenBy(s => s.Problems.Missing.Count).First();
        if (best.Problems.Count == 0 && imported.Unexpected.Count == 0) return best.Candidate;
        var p = best.Problems;
        var unexpected = imported.Unexpected.Concat(p.Unexpected).ToList();
        var parts = new List<string>();
        if (p.Missing.Count > 0) parts.Add($"{p.Missing.Count} missing (first: {string.Join(", ", p.Missing.Take(3))})");
        if (unexpected.Count > 0) parts.Add($"{unexpected.Count} unexpected (first: {string.Join(", ", unexpected.Take(3))})");
        if (p.Shapes.Count > 0) parts.Add($"{p.Shapes.Count} of another shape (first: {string.Join(", ", p.Shapes.Take(2))})");
        throw new ModelWeightsException(
            $"{path}: {what} checkpoint of another architecture; it looks most like config '{best.Candidate.Name}' " +
            $"(known: {string.Join(", ", candidates.Select(c => c.Name))}), but has {string.Join("; ", parts)}");
    }

    sealed record Mismatch(List<string> Missing, List<string> Unexpected, List<string> Shapes)
    {
        public int Count => Missing.Count + Unexpected.Count + Shapes.Count;
    }

    static Mismatch Problems(ImportedTensors imported, Candidate candidate)
    {
        var missing = candidate.Shapes.Keys.Where(k => !imported.Tensors.ContainsKey(k)).ToList();
        var unexpected = imported.Tensors.Keys.Where(k => !candidate.Shapes.ContainsKey(k)).ToList();
        var shapes = candidate.Shapes
            .Where(kv => imported.Tensors.TryGetValue(kv.Key, out var t) && !t.Shape.SequenceEqual(kv.Value))
            .Select(kv => $"{kv.Key} [{string.Join(",", imported.Tensors[kv.Key].Shape)}], config wants [{string.Join(",", kv.Value)}]")
            .ToList();
        return new Mismatch(missing, unexpected, shapes);
    }

    /// <summary>Names and shapes of a module's state dict.</summary>
    static IReadOnlyDictionary<string, long[]> ShapesOf(TorchSharp.torch.nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
}
