using System.Diagnostics;
using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Layers;
using Pipeline.Models.Stage1;
using Pipeline.Models.Stage2;
using Pipeline.Models.Weights;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training;

/// <summary>
/// Trains stage 1, E²DiffSR stage 2 or LCMSR on a folder of images: batches from <see cref="PatchSampler"/>
/// (deterministic per (seed, step), so a resumed run sees the same batches), Adam/AdamW with optional cosine decay
/// and gradient clipping, EMA for the UNet, a CSV log (OutputDir/log.csv), a resumable checkpoint
/// (OutputDir/checkpoint) and, at the end, one weights file: OutputDir/{stage1|e2diffsr|lcmsr}.safetensors.
/// </summary>
public static class Trainer
{
    public static TrainingResult Run(TrainingOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (options.Threads is int threads) set_num_threads(threads);
        var device = torch.device(options.Device);
        var config = options.ModelConfig;
        Directory.CreateDirectory(options.OutputDir);
        var images = ImageFolder.Load(options.DataDir, options.MaxImages);
        var sampler = new PatchSampler(images, options.Patches);
        var checkpointDir = Path.Combine(options.OutputDir, "checkpoint");
        var state = options.Resume ? Checkpoint.TryRead(checkpointDir) : null;
        if (state is not null && (state.Stage != options.Stage.ToString() || state.Config != config.Name || state.ArchHash != config.ArchitectureHash))
            throw new InvalidOperationException(
                $"{checkpointDir}: checkpoint is for {state.Stage}/{state.Config} ({state.ArchHash}), not {options.Stage}/{config.Name} ({config.ArchitectureHash})");

        using var objective = CreateObjective(options, config, device, sampler, state is null);
        var optimizer = CreateOptimizer(options, objective.Parameters);
        if (state is not null) Checkpoint.Load(checkpointDir, state, objective, optimizer);
        objective.Trainable.train();
        if (objective is SecondStageObjective s2)
        {
            s2.Stage1?.eval();
            s2.Model.Decoder.eval();
        }

        var log = new CsvLog(Path.Combine(options.OutputDir, "log.csv"));
        var first = (state?.Step ?? 0) + 1;
        var elapsedBefore = TimeSpan.FromSeconds(state?.ElapsedSeconds ?? 0);
        var clock = Stopwatch.StartNew();
        var windowClock = Stopwatch.StartNew();
        var windowSteps = 0;
        var windowSamples = 0L;
        var lastLoss = double.NaN;
        for (var step = first; step <= options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            var lr = LearningRateAt(options, step);
            foreach (var group in ((optim.Optimizer)optimizer).ParamGroups) group.LearningRate = lr;
            double scale;
            IReadOnlyDictionary<string, double> terms;
            using (var scope = NewDisposeScope())
            {
                using var batch = sampler.Next(options.BatchSize, StepSeed(options.Seed, step, 1), device);
                using var generator = new Generator((ulong)StepSeed(options.Seed, step, 2), device);
                optimizer.zero_grad();
                var (loss, t) = objective.Loss(batch, generator);
                loss.backward();
                if (options.GradClip is double clip) nn.utils.clip_grad_norm_(objective.Parameters, clip);
                optimizer.step();
                objective.AfterStep();
                lastLoss = loss.item<float>();
                terms = t;
                scale = batch.Geometry.Scale;
                windowSamples += batch.Hr.shape[0];
            }
            windowSteps++;
            if (step % options.LogEvery == 0 || step == options.Steps)
            {
                var seconds = windowClock.Elapsed.TotalSeconds;
                var perStep = seconds / windowSteps;
                var elapsed = elapsedBefore + clock.Elapsed;
                var report = new TrainingProgress(step, options.Steps, lastLoss, terms, lr, scale, perStep, windowSamples / seconds,
                    elapsed, TimeSpan.FromSeconds(perStep * (options.Steps - step)));
                log.Append(report);
                progress?.Report(report);
                windowClock.Restart();
                windowSteps = 0;
                windowSamples = 0;
            }
            if (step % options.CheckpointEvery == 0 || step == options.Steps)
                Checkpoint.Save(checkpointDir, StateOf(options, config, objective, step, elapsedBefore + clock.Elapsed), objective, optimizer);
        }

        var weights = Export(options, objective);
        return new TrainingResult(weights, options.Steps, lastLoss, elapsedBefore + clock.Elapsed);
    }

    /// <summary>Builds the objective for a stage; for stage 2 / LCMSR this loads stage 1, copies its decoder into the
    /// inference model and (fresh runs only) measures the latent scale factor and warm-starts the CondNet.</summary>
    public static ITrainingObjective CreateObjective(TrainingOptions options, SrConfig config, Device device, PatchSampler? sampler, bool fresh)
    {
        if (options.Stage == TrainingStage.Stage1)
        {
            var ae = new DifferentialAutoencoder(config);
            Initialization.Reinitialize(ae, options.Seed);
            return new Stage1Objective(ae.to(device), options.KlWeight);
        }

        var stage1 = options.Stage1Weights is string stage1Path ? ModelWeights.LoadStage1(stage1Path, config, device) : null;
        var kind = options.Stage == TrainingStage.Stage2 ? SecondStageKind.E2DiffSR : SecondStageKind.Lcmsr;
        SrModel model;
        if (options.InitWeights is string init)
            model = ModelWeights.LoadSrModel(init, config, device, kind); // fine-tuning: its decoder, CondNet, UNet and scale factor
        else
        {
            if (stage1 is null) throw new ArgumentException("stage 2 / LCMSR training needs Stage1Weights (or --init weights to fine-tune)");
            model = new SrModel(config, kind);
            Initialization.Reinitialize(model, options.Seed);
            model = model.to(device);
            CopyDecoder(stage1, model);
            if (fresh && options.WarmStartCondNet) WarmStartCondNet(stage1, model);
        }
        var ema = new LatentUNet(config.UNet).to(device);
        var losses = new SecondStageLosses(options.KdWeight, options.PixelWeight, options.TuneDecoder, options.FreezeUNet, options.PixelMse);
        SecondStageObjective objective = kind == SecondStageKind.E2DiffSR
            ? new E2DiffSRObjective(stage1, model, ema, options.EmaDecay, losses)
            : new ConsistencyObjective(stage1, model, ema, options.EmaDecay, losses);
        objective.Ema.CopyFromSource();
        if (fresh && sampler is not null && stage1 is not null && options.InitWeights is null)
        {
            using var generator = new Generator((ulong)StepSeed(options.Seed, 0, 3), device);
            var batches = Enumerable.Range(0, options.ScaleFactorBatches)
                .Select(i => sampler.Next(options.BatchSize, StepSeed(options.Seed, -1 - i, 4), device));
            model.ScaleFactor = SecondStageObjective.MeasureScaleFactor(stage1, batches, generator);
        }
        return objective;
    }

    public static OptimizerHelper CreateOptimizer(TrainingOptions options, IReadOnlyList<Parameter> parameters) =>
        options.Optimizer.ToLowerInvariant() switch
        {
            "adam" => optim.Adam(parameters, options.LearningRate, options.Beta1, options.Beta2, weight_decay: options.WeightDecay),
            "adamw" => optim.AdamW(parameters, options.LearningRate, options.Beta1, options.Beta2, weight_decay: options.WeightDecay),
            var o => throw new ArgumentException($"unknown optimizer '{o}' (adam | adamw)"),
        };

    public static double LearningRateAt(TrainingOptions options, int step)
    {
        if (options.MinLearningRate is not double min) return options.LearningRate;
        var progress = Math.Clamp((step - 1) / (double)Math.Max(1, options.Steps - 1), 0, 1);
        return min + 0.5 * (options.LearningRate - min) * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>Deterministic per-step seeds (SplitMix-style mixing of seed, step and purpose).</summary>
    public static long StepSeed(int seed, int step, int purpose)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)step * 0xBF58476D1CE4E5B9UL + (ulong)purpose * 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)((z ^ (z >> 31)) >> 2);
    }

    static void CopyDecoder(DifferentialAutoencoder stage1, SrModel model)
    {
        using var _ = no_grad();
        var target = model.state_dict();
        foreach (var (name, t) in stage1.state_dict())
            if (name.StartsWith("decoder.", StringComparison.Ordinal) || name.StartsWith("post_quant_conv.", StringComparison.Ordinal))
                target[name].copy_(t);
    }

    /// <summary>CondNet ← stage-1 encoder where shapes allow: conv_in keeps the LR↑ input channels (the encoder input
    /// is concat[LR↑, HR]), conv_out keeps the mean channels; everything else is copied as is.</summary>
    static void WarmStartCondNet(DifferentialAutoencoder stage1, SrModel model)
    {
        using var _ = no_grad();
        var source = stage1.Encoder.state_dict();
        foreach (var (name, target) in model.CondNet.state_dict())
        {
            if (!source.TryGetValue(name, out var s)) continue;
            if (s.shape.SequenceEqual(target.shape)) target.copy_(s);
            else if (name == "conv_in.weight") target.copy_(s[.., ..(int)target.shape[1]]);
            else if (name.StartsWith("conv_out.", StringComparison.Ordinal)) target.copy_(s[..(int)target.shape[0]]);
        }
    }

    static CheckpointState StateOf(TrainingOptions options, SrConfig config, ITrainingObjective objective, int step, TimeSpan elapsed)
    {
        var second = objective as SecondStageObjective;
        return new CheckpointState(options.Stage.ToString(), config.Name, config.ArchitectureHash, step,
            second?.Model.ScaleFactor ?? 1.0, second?.Ema.Updates ?? 0, elapsed.TotalSeconds, options.Stage1Weights);
    }

    static string Export(TrainingOptions options, ITrainingObjective objective)
    {
        switch (objective)
        {
            case Stage1Objective s1:
                {
                    var path = Path.Combine(options.OutputDir, "stage1.safetensors");
                    ModelWeights.Save(s1.Model, path, new Dictionary<string, string> { ["step"] = options.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    return path;
                }
            case SecondStageObjective s2:
                {
                    var path = Path.Combine(options.OutputDir, ModelWeights.KindName(s2.Model.Kind) + ".safetensors");
                    ModelWeights.Save(s2.Model, path, s2.EmaUNet, new Dictionary<string, string>
                    {
                        ["step"] = options.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["ema_decay"] = options.EmaDecay.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                        ["pixel_weight"] = options.PixelWeight.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                        ["pixel_loss"] = options.PixelMse ? "mse" : "l1",
                        ["decoder_tuned"] = options.TuneDecoder ? "true" : "false",
                        ["unet_frozen"] = options.FreezeUNet ? "true" : "false",
                        ["init"] = options.InitWeights is null ? "" : Path.GetFileName(options.InitWeights),
                    });
                    return path;
                }
            default:
                throw new InvalidOperationException("unknown objective");
        }
    }
}
