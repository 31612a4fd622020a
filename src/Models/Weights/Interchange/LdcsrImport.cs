using System.Globalization;
using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Stage1;
using Pipeline.Models.Stage2;
using Pipeline.Models.Weights.PyTorch;

namespace Pipeline.Models.Weights.Interchange;

/// <summary>
/// Checkpoints of the E²DiffSR/LCMSR authors' code (MoooJianG/LDCSR, PyTorch Lightning):
/// <list type="bullet">
/// <item>second stage (second_stage_van_v4: E²DiffSR, T = 4; second_stage_consistency_v1: LCMSR, T = 1000):
/// <c>first_stage_model.decoder.*</c> and <c>.post_quant_conv.*</c> → decoder, <c>cond_stage_model.*</c> → CondNet, and
/// the UNet from <c>model_ema.*</c> (LitEma: the parameter names with their dots removed), because the reference samples
/// with the EMA weights (<c>ema_scope</c>); <c>model.diffusion_model.*</c> only where a checkpoint has no EMA. The
/// stage-1 encoder and quant conv, the schedule buffers and the online UNet are not needed for inference.</item>
/// <item>first stage (first_stage_kl_v6): <c>encoder</c>, <c>quant_conv</c>, <c>post_quant_conv</c>, <c>decoder</c> →
/// a stage-1 file for <c>sr train stage2</c>; the loss's LPIPS and discriminator (<c>loss.*</c>) are left out.</item>
/// </list>
/// </summary>
public static class LdcsrImport
{
    const string Unet = "model.diffusion_model.";
    const string Ema = "model_ema.";

    /// <summary>GAPDecoder's fusion layer (StyleLayer_norm_scale_shift) holds a noise-injection weight its forward never reads.</summary>
    public const string UnusedDecoderWeight = "style.weight";

    const string UnusedDecoderNote = "decoder.style.weight (a noise-injection weight the reference's forward never reads)";

    public static bool IsSecondStage(IReadOnlyCollection<string> keys) =>
        keys.Any(k => k.StartsWith("cond_stage_model.", StringComparison.Ordinal)) && keys.Any(k => k.StartsWith("first_stage_model.", StringComparison.Ordinal));

    public static bool IsFirstStage(IReadOnlyCollection<string> keys) =>
        keys.Any(k => k.StartsWith("encoder.", StringComparison.Ordinal)) && keys.Any(k => k.StartsWith("decoder.", StringComparison.Ordinal))
        && keys.Contains("post_quant_conv.weight");

    public static ImportResult SecondStage(TorchCheckpoint checkpoint, Dictionary<object, object?> root, Dictionary<object, object?> state, string output, IReadOnlyList<SrConfig> configs)
    {
        var path = checkpoint.Path;
        var tensors = TorchCheckpoint.Tensors(state).ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        var kind = Kind(path, checkpoint, tensors);
        var imported = new ImportedTensors(checkpoint);
        var hasEma = tensors.Keys.Any(k => k.StartsWith(Ema, StringComparison.Ordinal) && k != Ema + "decay" && k != Ema + "num_updates");
        var emaUsed = 0;
        foreach (var (key, tensor) in tensors)
        {
            if (key == "first_stage_model.decoder." + UnusedDecoderWeight) imported.Ignore(UnusedDecoderNote);
            else if (key.StartsWith("first_stage_model.decoder.", StringComparison.Ordinal)) imported.Add("decoder." + key["first_stage_model.decoder.".Length..], tensor);
            else if (key.StartsWith("first_stage_model.post_quant_conv.", StringComparison.Ordinal)) imported.Add("post_quant_conv." + key["first_stage_model.post_quant_conv.".Length..], tensor);
            else if (key.StartsWith("cond_stage_model.", StringComparison.Ordinal)) imported.Add("cond_net." + key["cond_stage_model.".Length..], tensor);
            else if (key.StartsWith(Unet, StringComparison.Ordinal))
            {
                var name = key[Unet.Length..];
                if (hasEma && tensors.TryGetValue(Ema + "diffusion_model" + name.Replace(".", ""), out var shadow))
                {
                    imported.Add("unet." + name, shadow);
                    imported.Ignore("model.diffusion_model (the online UNet; the EMA UNet was taken)");
                    emaUsed++;
                }
                else imported.Add("unet." + name, tensor);
            }
            else if (key.StartsWith(Ema, StringComparison.Ordinal)) imported.Ignore("model_ema (read through the UNet's names)");
            else if (key.StartsWith("first_stage_model.encoder.", StringComparison.Ordinal) || key.StartsWith("first_stage_model.quant_conv.", StringComparison.Ordinal))
                imported.Ignore("first_stage_model encoder and quant_conv (stage-1 training only)");
            else if (key.StartsWith("first_stage_model.loss.", StringComparison.Ordinal)) imported.Ignore("first_stage_model.loss (training only)");
            else if (IsScheduleBuffer(key)) imported.Ignore("the diffusion schedule's buffers (checked, then recomputed)");
            else imported.Unexpected.Add(key);
        }
        var config = ArchitectureMatch.Choose(path, $"an LDCSR {ModelWeights.KindName(kind)}", imported, configs, c => c.Name, c => new SrModel(c, kind));
        CheckSchedule(checkpoint, tensors, kind, config);
        if (!tensors.TryGetValue("scale_factor", out var scaleFactorTensor))
            throw new ModelWeightsException($"{path}: has no scale_factor (the latent scale a second stage measures before training)");
        using var sr = new SrModel(config, kind) { ScaleFactor = checkpoint.ReadFloats(scaleFactorTensor)[0] };
        ModelWeights.LoadInto(sr, imported.Entries(), path);
        var extra = Provenance(checkpoint, root, "ldcsr-second-stage");
        var notes = new List<string>();
        if (emaUsed > 0)
        {
            var decay = tensors.TryGetValue(Ema + "decay", out var d) ? checkpoint.ReadFloats(d)[0] : double.NaN;
            var updates = tensors.TryGetValue(Ema + "num_updates", out var u) ? checkpoint.ReadFloats(u)[0] : double.NaN;
            extra["ema_decay"] = decay.ToString("R", CultureInfo.InvariantCulture);
            extra["ema_updates"] = updates.ToString("R", CultureInfo.InvariantCulture);
            notes.Add($"UNet: the EMA weights (model_ema, decay {decay:G4}, {updates:G} updates), which the reference samples with");
        }
        else notes.Add("UNet: the online weights (model.diffusion_model): the checkpoint has no EMA (use_ema: false)");
        extra["unet_weights"] = emaUsed > 0 ? "ema" : "online";
        ModelWeights.Save(sr, output, extra: extra);
        return new ImportResult(path, output, ModelWeights.KindName(kind), config.Name, [.. notes, .. IgnoredNotes(imported)]);
    }

    public static ImportResult FirstStage(TorchCheckpoint checkpoint, Dictionary<object, object?> root, Dictionary<object, object?> state, string output, IReadOnlyList<SrConfig> configs)
    {
        var path = checkpoint.Path;
        var imported = new ImportedTensors(checkpoint);
        foreach (var (key, tensor) in TorchCheckpoint.Tensors(state))
        {
            if (key.StartsWith("loss.", StringComparison.Ordinal)) imported.Ignore("loss (LPIPS and discriminator: training only)");
            else if (key == "decoder." + UnusedDecoderWeight) imported.Ignore(UnusedDecoderNote);
            else if (key.StartsWith("encoder.", StringComparison.Ordinal) || key.StartsWith("decoder.", StringComparison.Ordinal)
                     || key.StartsWith("quant_conv.", StringComparison.Ordinal) || key.StartsWith("post_quant_conv.", StringComparison.Ordinal))
                imported.Add(key, tensor);
            else imported.Unexpected.Add(key);
        }
        var config = ArchitectureMatch.Choose(path, "an LDCSR first-stage", imported, configs, c => c.Name, c => new DifferentialAutoencoder(c));
        using var autoencoder = new DifferentialAutoencoder(config);
        ModelWeights.LoadInto(autoencoder, imported.Entries(), path);
        ModelWeights.Save(autoencoder, output, Provenance(checkpoint, root, "ldcsr-first-stage"));
        return new ImportResult(path, output, ModelWeights.Stage1Kind, config.Name,
            ["the whole autoencoder (encoder for `sr train stage2`, decoder for inference)", .. IgnoredNotes(imported)]);
    }

    static SecondStageKind Kind(string path, TorchCheckpoint checkpoint, Dictionary<string, TensorRef> tensors)
    {
        if (!tensors.TryGetValue("betas", out var betas))
            throw new ModelWeightsException($"{path}: has no diffusion schedule ('betas'), so it cannot say whether it is E²DiffSR or LCMSR");
        return betas.Shape.Aggregate(1L, (a, b) => a * b) switch
        {
            4 => SecondStageKind.E2DiffSR,
            1000 => SecondStageKind.Lcmsr,
            var n => throw new ModelWeightsException($"{path}: a diffusion schedule of {n} steps; E²DiffSR has 4 (second_stage_van_v4), LCMSR 1000 (second_stage_consistency_v1)"),
        };
    }

    /// <summary>The checkpoint's β schedule must be the configuration's (the port recomputes it from the config).</summary>
    static void CheckSchedule(TorchCheckpoint checkpoint, Dictionary<string, TensorRef> tensors, SecondStageKind kind, SrConfig config)
    {
        var path = checkpoint.Path;
        var (steps, start, end) = kind == SecondStageKind.E2DiffSR
            ? (config.DiffusionSteps, config.BetaStart, config.BetaEnd)
            : (config.ConsistencySteps, config.ConsistencyBetaStart, config.ConsistencyBetaEnd);
        var schedule = new Diffusion.DiffusionSchedule(steps, start, end);
        var values = checkpoint.ReadFloats(tensors["betas"]);
        for (var t = 0; t < steps; t++)
            if (Math.Abs(values[t] - schedule.Betas[t]) > 1e-6 * Math.Max(1, Math.Abs(schedule.Betas[t])))
                throw new ModelWeightsException(
                    $"{path}: its β schedule differs from config '{config.Name}' (β[{t}] = {values[t]:G6}, the config's {schedule.Betas[t]:G6}; linear_start {start}, linear_end {end})");
    }

    static bool IsScheduleBuffer(string key) => key is "betas" or "alphas_cumprod" or "alphas_cumprod_prev" or "sqrt_alphas_cumprod"
        or "sqrt_one_minus_alphas_cumprod" or "log_one_minus_alphas_cumprod" or "sqrt_recip_alphas_cumprod" or "sqrt_recipm1_alphas_cumprod"
        or "posterior_variance" or "posterior_log_variance_clipped" or "posterior_mean_coef1" or "posterior_mean_coef2" or "logvar" or "scale_factor";

    internal static Dictionary<string, string> Provenance(TorchCheckpoint checkpoint, Dictionary<object, object?> root, string format)
    {
        var extra = new Dictionary<string, string>
        {
            ["source_file"] = Path.GetFileName(checkpoint.Path),
            ["source_format"] = format,
            ["source_sha256"] = WeightsDigest.Of(checkpoint.Path),
            // No clock in an import: the same checkpoint gives the same bytes (and SHA-256) wherever it is imported,
            // so silos that each import it agree.
            ["created_utc"] = "n/a (imported; see source_sha256)",
        };
        if (root.TryGetValue("global_step", out var step) && step is long s) extra["step"] = s.ToString(CultureInfo.InvariantCulture);
        if (root.TryGetValue("pytorch-lightning_version", out var version) && version is string v) extra["lightning_version"] = v;
        return extra;
    }

    internal static IEnumerable<string> IgnoredNotes(ImportedTensors imported) =>
        imported.Ignored.Select(kv => $"left out: {kv.Key}, {kv.Value} tensors");
}
