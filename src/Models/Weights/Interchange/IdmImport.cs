using System.Text.RegularExpressions;
using Pipeline.Models.Idm;
using Pipeline.Models.Weights.PyTorch;

namespace Pipeline.Models.Weights.Interchange;

/// <summary>
/// IDM generator checkpoints as the reference saves them (Ree1s/IDM <c>model.save_network</c>: <c>*_gen.pth</c>, the
/// GaussianDiffusion state dict). <c>encoder.*</c> (EDSR) and <c>denoise_fn.*</c> (the UNet) are renamed to the port's
/// names (the same rules as src/Bench/Reference/idm_reference.py); the reference builds modules its forward never
/// reaches, and those keys are left out, each group named: EDSR's mean shifts, the style branch's final layers, each
/// idm upsampler's modulated conv, level 0's scale/shift layers, the last conv_body_down, the top-level imnet MLP and
/// the schedule buffers. The port's IDM has no EMA of its own in this file: the reference's saved generator is what
/// it samples with.
/// </summary>
public static partial class IdmImport
{
    public static bool IsIdm(IReadOnlyCollection<string> keys) =>
        keys.Any(k => k.StartsWith("denoise_fn.", StringComparison.Ordinal)) && keys.Any(k => k.StartsWith("encoder.", StringComparison.Ordinal));

    public static ImportResult Import(TorchCheckpoint checkpoint, Dictionary<object, object?> state, string output, IReadOnlyList<IdmConfig> configs)
    {
        var path = checkpoint.Path;
        var tensors = TorchCheckpoint.Tensors(state).ToList();
        var layout = new Layout(tensors.Select(t => t.Name).ToList());
        var imported = new ImportedTensors(checkpoint);
        foreach (var (key, tensor) in tensors)
        {
            if (UnusedGroup(key, layout) is { } group) imported.Ignore(group);
            else if (PortName(key, layout) is { } name) imported.Add(name, tensor);
            else imported.Unexpected.Add(key);
        }
        var config = ArchitectureMatch.Choose(path, "an IDM", imported, configs, c => c.Name, c => new IdmModel(c));
        using var idm = new IdmModel(config) { TargetScale = 1 };
        ModelWeights.LoadInto(idm, imported.Entries(), path);
        var extra = LdcsrImport.Provenance(checkpoint, [], "idm-gen-pth");
        IdmWeights.Save(idm, output, extra);
        return new ImportResult(path, output, IdmWeights.Kind, config.Name,
            ["the generator as saved (encoder and denoise_fn)", .. LdcsrImport.IgnoredNotes(imported)]);
    }

    /// <summary>Which indices of the reference's <c>downs</c>/<c>ups</c> lists hold which module, read off the keys.</summary>
    sealed class Layout(IReadOnlyList<string> keys)
    {
        public int[] DownBlocks { get; } = Indices(keys, "downs", ".res_block.");
        public int[] Downsamplers { get; } = Indices(keys, "downs", ".conv.");
        public int[] UpBlocks { get; } = Indices(keys, "ups", ".res_block.");
        public int[] Upsamplers { get; } = Indices(keys, "ups", ".imnet.");
        public int LastBodyDown { get; } = keys.Select(k => BodyDown().Match(k)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(-1).Max();

        static int[] Indices(IReadOnlyList<string> keys, string group, string marker) =>
            [.. keys.Where(k => k.StartsWith($"denoise_fn.{group}.", StringComparison.Ordinal) && k.Contains(marker, StringComparison.Ordinal))
                    .Select(k => int.Parse(k.Split('.')[2])).Distinct().Order()];
    }

    static string? UnusedGroup(string key, Layout layout)
    {
        if (key.StartsWith("encoder.sub_mean.", StringComparison.Ordinal) || key.StartsWith("encoder.add_mean.", StringComparison.Ordinal))
            return "EDSR's mean shifts (never applied)";
        if (StyleBranch().IsMatch(key)) return "the style branch's final_down1/final_down2/final_linear/final_styleconv (built, never called)";
        if (key.StartsWith("imnet.", StringComparison.Ordinal)) return "GaussianDiffusion's imnet MLP (built, never called)";
        if (!key.Contains('.', StringComparison.Ordinal)) return "the diffusion schedule's buffers (recomputed from the config)";
        if (LevelZeroCondition().IsMatch(key)) return "level 0's condition_scale1/scale2/shift (never called)";
        var down = BodyDown().Match(key);
        if (down.Success && int.Parse(down.Groups[1].Value) == layout.LastBodyDown) return "the last conv_body_down (never called)";
        var up = Regex.Match(key, @"^denoise_fn\.ups\.(\d+)\.style\.(weight|modulated_conv\.)");
        if (up.Success && layout.Upsamplers.Contains(int.Parse(up.Groups[1].Value))) return "each idm upsampler's modulated conv (never called)";
        return null;
    }

    static string? PortName(string key, Layout layout)
    {
        foreach (var (pattern, replacement) in Rules)
        {
            var m = Regex.Match(key, pattern);
            if (m.Success) return replacement(m);
        }
        var block = Regex.Match(key, @"^denoise_fn\.(downs|ups|mid)\.(\d+)\.(.+)\.(weight|bias)$");
        if (!block.Success) return null;
        var (group, index, module, leaf) = (block.Groups[1].Value, int.Parse(block.Groups[2].Value), block.Groups[3].Value, block.Groups[4].Value);
        if (group == "downs" && index == 0 && module.Length == 0) return null;
        if (group == "downs" && Array.IndexOf(layout.Downsamplers, index) is var d and >= 0 && module == "conv") return $"unet.downsamplers.{d}.{leaf}";
        if (group == "ups" && Array.IndexOf(layout.Upsamplers, index) is var u and >= 0)
            return module switch
            {
                "style.activate" => $"unet.upsamplers.{u}.activate.{leaf}",
                "imnet.0" => $"unet.upsamplers.{u}.imnet_in.{leaf}",
                "imnet.1" => $"unet.upsamplers.{u}.imnet_out.{leaf}",
                _ => null,
            };
        var ordinal = group switch
        {
            "downs" => Array.IndexOf(layout.DownBlocks, index),
            "ups" => Array.IndexOf(layout.UpBlocks, index),
            _ => index,
        };
        return ordinal >= 0 && BlockModules.TryGetValue(module, out var port) ? $"unet.{group}.{ordinal}.{port}.{leaf}" : null;
    }

    static readonly Dictionary<string, string> BlockModules = new(StringComparer.Ordinal)
    {
        ["res_block.noise_func.noise_func.0"] = "noise_func", ["res_block.block1.block.0"] = "norm1", ["res_block.block1.block.3"] = "conv1",
        ["res_block.block2.block.0"] = "norm2", ["res_block.block2.block.3"] = "conv2", ["res_block.res_conv"] = "res_conv",
        ["attn.norm"] = "attn_norm", ["attn.qkv"] = "attn_qkv", ["attn.out"] = "attn_out",
    };

    static readonly (string Pattern, Func<Match, string> Replacement)[] Rules =
    [
        (@"^encoder\.head\.0\.(.+)$", m => $"encoder.head.{m.Groups[1]}"),
        (@"^encoder\.body\.(\d+)\.body\.(\d)\.(.+)$", m => $"encoder.body.{m.Groups[1]}.{m.Groups[2]}.{m.Groups[3]}"),
        (@"^encoder\.body\.(\d+)\.(weight|bias)$", m => $"encoder.body_out.{m.Groups[2]}"),
        (@"^encoder\.tail\.0\.(.+)$", m => $"encoder.tail.{m.Groups[1]}"),
        (@"^denoise_fn\.noise_level_mlp\.1\.(.+)$", m => $"unet.noise_mlp_in.{m.Groups[1]}"),
        (@"^denoise_fn\.noise_level_mlp\.3\.(.+)$", m => $"unet.noise_mlp_out.{m.Groups[1]}"),
        (@"^denoise_fn\.conv_body_first\.0\.weight$", _ => "unet.conditioning.conv_body_first.weight"),
        (@"^denoise_fn\.conv_body_first\.1\.bias$", _ => "unet.conditioning.conv_body_first.activate.bias"),
        (@"^denoise_fn\.conv_body_down\.(\d+)\.1\.weight$", m => $"unet.conditioning.conv_body_down.{m.Groups[1]}.weight"),
        (@"^denoise_fn\.conv_body_down\.(\d+)\.2\.bias$", m => $"unet.conditioning.conv_body_down.{m.Groups[1]}.activate.bias"),
        (@"^denoise_fn\.condition_(scale1|scale2)\.(\d+)\.(.+)$", m => $"unet.conditioning.condition_{m.Groups[1]}.{int.Parse(m.Groups[2].Value) - 1}.{m.Groups[3]}"),
        (@"^denoise_fn\.condition_shift\.(\d+)\.0\.(.+)$", m => $"unet.conditioning.condition_shift.{int.Parse(m.Groups[1].Value) - 1}.{m.Groups[2]}"),
        (@"^denoise_fn\.final_conv\.block\.0\.(.+)$", m => $"unet.final_norm.{m.Groups[1]}"),
        (@"^denoise_fn\.final_conv\.block\.3\.(.+)$", m => $"unet.final_conv.{m.Groups[1]}"),
        (@"^denoise_fn\.downs\.0\.(weight|bias)$", m => $"unet.conv_in.{m.Groups[1]}"),
    ];

    [GeneratedRegex(@"^denoise_fn\.final_(down1|down2|linear|styleconv)\.")]
    private static partial Regex StyleBranch();

    [GeneratedRegex(@"^denoise_fn\.condition_(scale1\.0|scale2\.0|shift\.0)\.")]
    private static partial Regex LevelZeroCondition();

    [GeneratedRegex(@"^denoise_fn\.conv_body_down\.(\d+)\.")]
    private static partial Regex BodyDown();
}
