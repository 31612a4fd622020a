using System.Globalization;
using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Stage1;
using Pipeline.Models.Stage2;
using Pipeline.Models.Weights.PyTorch;

namespace Pipeline.Models.Weights.Interchange;

/// <summary>
/// <c>sr weights export --format ldcsr</c>: an e2diffsr or lcmsr weights file → a second-stage checkpoint in the
/// layout of the authors' code (the keys <see cref="LdcsrImport"/> reads, plus everything the reference's S2Model
/// holds, so that its <c>load_state_dict(strict=True)</c> accepts it): the UNet as both the online and the EMA
/// weights, the schedule buffers computed as ddpm.register_schedule does, and the stage-1 encoder from
/// <c>--stage1</c> (or zeros, which the reference's inference never reads but its training would).
/// </summary>
public static class LdcsrExport
{
    public static IReadOnlyList<string> Export(string weightsPath, string output, string? stage1Path = null, SrConfig? expected = null)
    {
        using var model = ModelWeights.LoadSrModel(weightsPath, expected);
        var metadata = ModelWeights.ReadMetadata(weightsPath);
        var notes = new List<string>();
        var state = new List<(string, TensorData)>();
        var schedule = model.Kind == SecondStageKind.E2DiffSR
            ? new DiffusionSchedule(model.Config.DiffusionSteps, model.Config.BetaStart, model.Config.BetaEnd)
            : new DiffusionSchedule(model.Config.ConsistencySteps, model.Config.ConsistencyBetaStart, model.Config.ConsistencyBetaEnd);
        foreach (var (name, values) in ScheduleBuffers(schedule)) state.Add((name, new TensorData([values.Length], values)));
        state.Add(("scale_factor", new TensorData([], [(float)model.ScaleFactor])));
        var unet = model.UNet.state_dict().Select(kv => (kv.Key, Data(kv.Value))).ToList();
        state.AddRange(unet.Select(u => ("model.diffusion_model." + u.Key, u.Item2)));
        var decay = double.TryParse(metadata.GetValueOrDefault("ema_decay"), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0.9999;
        var updates = double.TryParse(metadata.GetValueOrDefault("ema_updates"), NumberStyles.Float, CultureInfo.InvariantCulture, out var u) ? (int)u : 0;
        state.Add(("model_ema.decay", new TensorData([], [(float)decay])));
        state.Add(("model_ema.num_updates", new TensorData([], Ints: [updates])));
        state.AddRange(unet.Select(x => ("model_ema.diffusion_model" + x.Key.Replace(".", ""), x.Item2)));
        notes.Add("UNet: written as both model.diffusion_model and model_ema (this file holds the weights the reference samples with)");

        using var autoencoder = new DifferentialAutoencoder(model.Config);
        if (stage1Path is not null)
        {
            using var stage1 = ModelWeights.LoadStage1(stage1Path, model.Config);
            autoencoder.load_state_dict(stage1.state_dict());
            notes.Add($"first_stage_model.encoder and quant_conv: from {stage1Path}");
        }
        else
        {
            using var _ = TorchSharp.torch.no_grad();
            foreach (var p in autoencoder.parameters()) p.zero_();
            notes.Add("first_stage_model.encoder and quant_conv: zeros (no --stage1 given: the reference's inference never reads them, its training does)");
        }
        foreach (var (name, tensor) in autoencoder.state_dict())
            if (name.StartsWith("encoder.", StringComparison.Ordinal) || name.StartsWith("quant_conv.", StringComparison.Ordinal))
                state.Add(("first_stage_model." + name, Data(tensor)));
        state.AddRange(model.Decoder.state_dict().Select(kv => ("first_stage_model.decoder." + kv.Key, Data(kv.Value))));
        state.Add(("first_stage_model.decoder." + LdcsrImport.UnusedDecoderWeight, new TensorData([1], [0f])));
        state.AddRange(model.PostQuantConv.state_dict().Select(kv => ("first_stage_model.post_quant_conv." + kv.Key, Data(kv.Value))));
        state.AddRange(model.CondNet.state_dict().Select(kv => ("cond_stage_model." + kv.Key, Data(kv.Value))));

        var step = long.TryParse(metadata.GetValueOrDefault("step"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var archive = Path.GetFileNameWithoutExtension(output);
        TorchCheckpointWriter.Write(output, string.IsNullOrEmpty(archive) ? "archive" : archive,
            [("epoch", 0L), ("global_step", step), ("exported_by", "pipeline-sr " + Path.GetFileName(weightsPath)), ("weights_sha256", WeightsDigest.Of(weightsPath))],
            state);
        return notes;
    }

    static TensorData Data(TorchSharp.torch.Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous().to_type(TorchSharp.torch.ScalarType.Float32);
        return new TensorData(cpu.shape, cpu.data<float>().ToArray());
    }

    /// <summary>The twelve buffers ddpm.register_schedule registers (v_posterior = 0), in float32.</summary>
    static IEnumerable<(string, float[])> ScheduleBuffers(DiffusionSchedule schedule)
    {
        var n = schedule.Steps;
        var betas = schedule.Betas;
        var ac = schedule.AlphasCumprod;
        var acPrev = Enumerable.Range(0, n).Select(t => t == 0 ? 1.0 : ac[t - 1]).ToArray();
        var variance = Enumerable.Range(0, n).Select(t => betas[t] * (1 - acPrev[t]) / (1 - ac[t])).ToArray();
        float[] Of(Func<int, double> f) => [.. Enumerable.Range(0, n).Select(t => (float)f(t))];
        yield return ("betas", Of(t => betas[t]));
        yield return ("alphas_cumprod", Of(t => ac[t]));
        yield return ("alphas_cumprod_prev", Of(t => acPrev[t]));
        yield return ("sqrt_alphas_cumprod", Of(t => Math.Sqrt(ac[t])));
        yield return ("sqrt_one_minus_alphas_cumprod", Of(t => Math.Sqrt(1 - ac[t])));
        yield return ("log_one_minus_alphas_cumprod", Of(t => Math.Log(1 - ac[t])));
        yield return ("sqrt_recip_alphas_cumprod", Of(t => Math.Sqrt(1 / ac[t])));
        yield return ("sqrt_recipm1_alphas_cumprod", Of(t => Math.Sqrt(1 / ac[t] - 1)));
        yield return ("posterior_variance", Of(t => variance[t]));
        yield return ("posterior_log_variance_clipped", Of(t => Math.Log(Math.Max(variance[t], 1e-20))));
        yield return ("posterior_mean_coef1", Of(t => betas[t] * Math.Sqrt(acPrev[t]) / (1 - ac[t])));
        yield return ("posterior_mean_coef2", Of(t => (1 - acPrev[t]) * Math.Sqrt(1 - betas[t]) / (1 - ac[t])));
    }
}
