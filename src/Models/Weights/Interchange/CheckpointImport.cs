using Pipeline.Models.Configuration;
using Pipeline.Models.Idm;
using Pipeline.Models.Weights.PyTorch;

namespace Pipeline.Models.Weights.Interchange;

/// <summary>
/// <c>sr weights import</c>: a checkpoint written by the authors' PyTorch code (LDCSR second- or first-stage
/// Lightning <c>.ckpt</c>, IDM <c>*_gen.pth</c>) → this project's safetensors weights, read without executing its
/// pickle (<see cref="TorchCheckpoint"/>), matched against the known configurations, written under a temporary name
/// and renamed at the end.
/// </summary>
public static class CheckpointImport
{
    /// <param name="srConfigs">Configurations to match E²DiffSR/LCMSR checkpoints against (default: the product's).</param>
    /// <param name="idmConfigs">Likewise for IDM.</param>
    public static ImportResult Import(string source, string output, IReadOnlyList<SrConfig>? srConfigs = null, IReadOnlyList<IdmConfig>? idmConfigs = null)
    {
        using var checkpoint = TorchCheckpoint.Open(source);
        var root = checkpoint.Root as Dictionary<object, object?>
            ?? throw new ModelWeightsException($"{source}: holds a {Describe(checkpoint.Root)}, not a state dict or a Lightning checkpoint");
        var state = root.TryGetValue("state_dict", out var inner) && inner is Dictionary<object, object?> s ? s : root;
        var keys = TorchCheckpoint.Tensors(state).Select(t => t.Name).ToList();
        if (keys.Count == 0) throw new ModelWeightsException($"{source}: holds no tensors (an optimizer-only or empty checkpoint?)");
        if (LdcsrImport.IsSecondStage(keys)) return LdcsrImport.SecondStage(checkpoint, root, state, output, srConfigs ?? SrConfig.All);
        if (IdmImport.IsIdm(keys)) return IdmImport.Import(checkpoint, state, output, idmConfigs ?? IdmConfig.All);
        if (LdcsrImport.IsFirstStage(keys)) return LdcsrImport.FirstStage(checkpoint, root, state, output, srConfigs ?? SrConfig.All);
        throw new ModelWeightsException(
            $"{source}: not an LDCSR (E²DiffSR/LCMSR) or IDM checkpoint (first keys: {string.Join(", ", keys.Take(3))})");
    }

    static string Describe(object? value) => value switch
    {
        null => "None",
        InertObject o => o.Type.FullName,
        _ => value.GetType().Name,
    };
}
