namespace Pipeline.Models.Weights.PyTorch;

/// <summary>What a global named by a pickle stands for. Each is interpreted by <see cref="PickleReader"/>; none is
/// ever imported or called.</summary>
public enum GlobalRole
{
    /// <summary><c>torch._utils._rebuild_tensor_v2</c> and <c>_rebuild_tensor</c>: a view of a storage.</summary>
    RebuildTensor,
    /// <summary><c>torch._utils._rebuild_parameter</c>: the tensor it wraps.</summary>
    RebuildParameter,
    /// <summary><c>torch.FloatStorage</c> and the other typed storages: a dtype tag in a persistent id.</summary>
    StorageType,
    /// <summary>OrderedDict, defaultdict, Lightning's AttributeDict: a dictionary.</summary>
    Dictionary,
    /// <summary>set and frozenset: a list of their items.</summary>
    Set,
    /// <summary><c>_codecs.encode(text, 'latin1')</c>, how protocol 2 writes bytes: the bytes.</summary>
    Bytes,
    /// <summary>Data that loading the weights never needs (hyper-parameters, callback and loop state, paths, numpy
    /// scalars, dtypes): kept as an <see cref="InertObject"/>.</summary>
    Inert,
}

/// <summary>
/// The allowlist of globals a PyTorch checkpoint may name: what torch.save writes for tensors and containers, and
/// the inert classes that Lightning (with OmegaConf hyper-parameters) and numpy put beside the weights. Any other
/// global (<c>os.system</c>, <c>builtins.eval</c>, a model class pickled whole) is refused with its name.
/// </summary>
public static class PickleGlobals
{
    static readonly Dictionary<string, GlobalRole> Exact = new(StringComparer.Ordinal)
    {
        ["torch._utils._rebuild_tensor_v2"] = GlobalRole.RebuildTensor,
        ["torch._utils._rebuild_tensor"] = GlobalRole.RebuildTensor,
        ["torch._utils._rebuild_parameter"] = GlobalRole.RebuildParameter,
        ["torch._utils._rebuild_parameter_with_state"] = GlobalRole.RebuildParameter,
        ["collections.OrderedDict"] = GlobalRole.Dictionary,
        ["collections.defaultdict"] = GlobalRole.Dictionary,
        ["builtins.dict"] = GlobalRole.Dictionary,
        ["pytorch_lightning.utilities.parsing.AttributeDict"] = GlobalRole.Dictionary,
        ["lightning_fabric.utilities.data.AttributeDict"] = GlobalRole.Dictionary,
        ["lightning.fabric.utilities.data.AttributeDict"] = GlobalRole.Dictionary,
        ["builtins.set"] = GlobalRole.Set,
        ["builtins.frozenset"] = GlobalRole.Set,
        ["_codecs.encode"] = GlobalRole.Bytes,
        ["torch.Size"] = GlobalRole.Inert,
        ["torch.device"] = GlobalRole.Inert,
        ["pathlib.PosixPath"] = GlobalRole.Inert,
        ["pathlib.WindowsPath"] = GlobalRole.Inert,
        ["pathlib.PurePosixPath"] = GlobalRole.Inert,
        ["argparse.Namespace"] = GlobalRole.Inert,
        ["datetime.datetime"] = GlobalRole.Inert,
        ["datetime.timedelta"] = GlobalRole.Inert,
        ["typing.Any"] = GlobalRole.Inert,
        ["builtins.list"] = GlobalRole.Inert,
        ["builtins.tuple"] = GlobalRole.Inert,
        ["builtins.int"] = GlobalRole.Inert,
        ["builtins.long"] = GlobalRole.Inert,
        ["builtins.float"] = GlobalRole.Inert,
        ["builtins.str"] = GlobalRole.Inert,
        ["builtins.bool"] = GlobalRole.Inert,
        ["builtins.object"] = GlobalRole.Inert,
        ["numpy.dtype"] = GlobalRole.Inert,
        ["numpy.ndarray"] = GlobalRole.Inert,
        ["numpy.core.multiarray.scalar"] = GlobalRole.Inert,
        ["numpy.core.multiarray._reconstruct"] = GlobalRole.Inert,
        ["numpy._core.multiarray.scalar"] = GlobalRole.Inert,
        ["numpy._core.multiarray._reconstruct"] = GlobalRole.Inert,
    };

    /// <summary>OmegaConf's containers and nodes (how Lightning saves a YAML config's hyper-parameters).</summary>
    static readonly string[] InertModules = ["omegaconf.dictconfig", "omegaconf.listconfig", "omegaconf.base", "omegaconf.nodes"];

    static readonly HashSet<string> TorchDTypes = new(StringComparer.Ordinal)
    {
        "float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "bool", "half", "float", "double", "long", "int",
    };

    /// <summary>The role of <paramref name="global"/>, or null when it is not allowed.</summary>
    public static GlobalRole? RoleOf(PickledGlobal global)
    {
        if (global.Module == "__builtin__") global = global with { Module = "builtins" }; // protocol 2's name for it
        if (Exact.TryGetValue(global.FullName, out var role)) return role;
        if (global.Module == "torch" && global.Name.EndsWith("Storage", StringComparison.Ordinal) && StorageTypes.ElementSize(global.Name) > 0)
            return GlobalRole.StorageType;
        if (global.Module == "torch" && TorchDTypes.Contains(global.Name)) return GlobalRole.Inert;
        if (InertModules.Contains(global.Module)) return GlobalRole.Inert;
        return null;
    }
}

/// <summary>PyTorch's typed storages and their element types.</summary>
public static class StorageTypes
{
    /// <summary>Bytes per element of a typed storage (<c>FloatStorage</c> → 4), or 0 when unknown.</summary>
    public static int ElementSize(string storageType) => storageType switch
    {
        "DoubleStorage" or "LongStorage" => 8,
        "FloatStorage" or "IntStorage" => 4,
        "HalfStorage" or "BFloat16Storage" or "ShortStorage" => 2,
        "ByteStorage" or "CharStorage" or "BoolStorage" => 1,
        _ => 0,
    };
}
