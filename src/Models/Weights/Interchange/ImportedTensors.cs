using Pipeline.Models.Weights.PyTorch;

namespace Pipeline.Models.Weights.Interchange;

/// <summary>A checkpoint's tensors under the port's state-dict names, plus what was left out and why.</summary>
public sealed class ImportedTensors(TorchCheckpoint checkpoint)
{
    readonly Dictionary<string, TensorRef> tensors = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> ignored = new(StringComparer.Ordinal);

    public TorchCheckpoint Checkpoint { get; } = checkpoint;

    /// <summary>Source keys that map to no port name and are not known to be unused: a sign of another architecture.</summary>
    public List<string> Unexpected { get; } = [];

    public IReadOnlyDictionary<string, TensorRef> Tensors => tensors;

    /// <summary>Groups of source keys the port does not need (e.g. "first_stage_model.encoder (stage-1 encoder, training only)"), with counts.</summary>
    public IReadOnlyDictionary<string, int> Ignored => ignored;

    public void Add(string portName, TensorRef tensor) => tensors[portName] = tensor;

    public void Ignore(string group) => ignored[group] = ignored.GetValueOrDefault(group) + 1;

    /// <summary>Float32 safetensors entries of the mapped tensors, for <see cref="ModelWeights.LoadInto"/>.</summary>
    public List<SafeTensorEntry> Entries() => [.. tensors.Select(kv => Checkpoint.Entry(kv.Key, kv.Value))];
}
