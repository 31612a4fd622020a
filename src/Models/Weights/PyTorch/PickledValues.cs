namespace Pipeline.Models.Weights.PyTorch;

/// <summary>A global a pickle names (<c>module.name</c>). It is only ever a tag: nothing is imported or called.</summary>
public sealed record PickledGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";
    public override string ToString() => FullName;
}

/// <summary>An object of an allowed inert class (Lightning's callback and hyper-parameter state, paths, numpy
/// scalars): its class, constructor arguments and state, kept as data and never instantiated.</summary>
public sealed class InertObject(PickledGlobal type, object? arguments)
{
    public PickledGlobal Type { get; } = type;
    public object? Arguments { get; } = arguments;
    public object? State { get; set; }
}

/// <summary>A storage record of a PyTorch zip archive (<c>data/&lt;key&gt;</c>), as a tensor's persistent id names it.</summary>
public sealed record StorageRef(string Key, string StorageType, long Elements);

/// <summary>A tensor as <c>torch._utils._rebuild_tensor_v2</c> describes it: a view of a storage.</summary>
public sealed record TensorRef(StorageRef Storage, long Offset, long[] Shape, long[] Stride);
