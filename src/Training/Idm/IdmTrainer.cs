using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Models.Idm;
using Pipeline.Models.Weights;
using static TorchSharp.torch;

namespace Pipeline.Training.Idm;

/// <summary>
/// Trains IDM (<see cref="IdmObjective"/>) on a folder of images with the batches, learning-rate curve, clipping, CSV
/// log and progress of the other stages (<see cref="Trainer"/>), an EMA of the whole model, a resumable checkpoint
/// (OutputDir/checkpoint: model, EMA, optimiser, state.json) and, at the end, OutputDir/idm.safetensors (the EMA).
/// </summary>
public static class IdmTrainer
{
    sealed record State(string Config, string ArchHash, int Step, double TargetScale, long EmaUpdates, double ElapsedSeconds);

    public static TrainingResult Run(TrainingOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (options.Threads is int threads) set_num_threads(threads);
        var device = torch.device(options.Device);
        var config = IdmConfig.ByName(options.Config);
        Directory.CreateDirectory(options.OutputDir);
        var sampler = new PatchSampler(ImageFolder.Load(options.DataDir, options.MaxImages), options.Patches);
        var checkpointDir = Path.Combine(options.OutputDir, "checkpoint");
        var statePath = Path.Combine(checkpointDir, "state.json");
        var state = options.Resume && File.Exists(statePath) ? JsonSerializer.Deserialize<State>(File.ReadAllText(statePath)) : null;
        if (state is not null && (state.Config != config.Name || state.ArchHash != config.ArchitectureHash))
            throw new InvalidOperationException($"{checkpointDir}: checkpoint is for IDM {state.Config} ({state.ArchHash}), not {config.Name} ({config.ArchitectureHash})");

        manual_seed(options.Seed);
        using var model = new IdmModel(config).to(device);
        using var shadow = new IdmModel(config).to(device);
        var ema = new Ema(model, shadow, options.EmaDecay);
        var parameters = model.parameters().ToList();
        var optimizer = Trainer.CreateOptimizer(options, parameters);
        if (state is not null)
        {
            Load(model, Path.Combine(checkpointDir, "model.safetensors"));
            Load(shadow, Path.Combine(checkpointDir, "ema.safetensors"));
            optimizer.load_state_dict(Path.Combine(checkpointDir, "optimizer.bin"));
            model.TargetScale = shadow.TargetScale = state.TargetScale;
            ema.Updates = state.EmaUpdates;
        }
        else
        {
            if (config.ResidualTarget)
                model.TargetScale = IdmObjective.MeasureTargetScale(model, Enumerable.Range(0, options.ScaleFactorBatches)
                    .Select(i => sampler.Next(options.BatchSize, Trainer.StepSeed(options.Seed, -1 - i, 4), device)));
            shadow.TargetScale = model.TargetScale;
            ema.CopyFromSource();
        }
        model.train();

        var log = new CsvLog(Path.Combine(options.OutputDir, "log.csv"));
        var elapsedBefore = TimeSpan.FromSeconds(state?.ElapsedSeconds ?? 0);
        var clock = Stopwatch.StartNew();
        var window = Stopwatch.StartNew();
        var (windowSteps, windowSamples, lastLoss) = (0, 0L, double.NaN);
        for (var step = (state?.Step ?? 0) + 1; step <= options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            var lr = Trainer.LearningRateAt(options, step);
            foreach (var group in ((optim.Optimizer)optimizer).ParamGroups) group.LearningRate = lr;
            IReadOnlyDictionary<string, double> terms;
            double scale;
            using (var scope = NewDisposeScope())
            {
                using var batch = sampler.Next(options.BatchSize, Trainer.StepSeed(options.Seed, step, 1), device);
                using var generator = new Generator((ulong)Trainer.StepSeed(options.Seed, step, 2), device);
                optimizer.zero_grad();
                var (loss, t) = IdmObjective.Loss(model, batch, generator);
                loss.backward();
                if (options.GradClip is double clip) nn.utils.clip_grad_norm_(parameters, clip);
                optimizer.step();
                ema.Update();
                (lastLoss, terms, scale) = (loss.item<float>(), t, batch.Geometry.Scale);
                windowSamples += batch.Hr.shape[0];
            }
            windowSteps++;
            if (step % options.LogEvery == 0 || step == options.Steps)
            {
                var seconds = window.Elapsed.TotalSeconds;
                var report = new TrainingProgress(step, options.Steps, lastLoss, terms, lr, scale, seconds / windowSteps, windowSamples / seconds,
                    elapsedBefore + clock.Elapsed, TimeSpan.FromSeconds(seconds / windowSteps * (options.Steps - step)));
                log.Append(report);
                progress?.Report(report);
                window.Restart();
                (windowSteps, windowSamples) = (0, 0);
            }
            if (step % options.CheckpointEvery == 0 || step == options.Steps)
            {
                var temporary = checkpointDir + ".tmp";
                if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
                Directory.CreateDirectory(temporary);
                IdmWeights.Save(model, Path.Combine(temporary, "model.safetensors"));
                IdmWeights.Save(shadow, Path.Combine(temporary, "ema.safetensors"));
                optimizer.save_state_dict(Path.Combine(temporary, "optimizer.bin"));
                var saved = new State(config.Name, config.ArchitectureHash, step, model.TargetScale, ema.Updates, (elapsedBefore + clock.Elapsed).TotalSeconds);
                File.WriteAllText(Path.Combine(temporary, "state.json"), JsonSerializer.Serialize(saved));
                if (Directory.Exists(checkpointDir)) Directory.Delete(checkpointDir, recursive: true);
                Directory.Move(temporary, checkpointDir);
            }
        }

        var path = Path.Combine(options.OutputDir, "idm.safetensors");
        IdmWeights.Save(shadow, path, new Dictionary<string, string>
        {
            ["step"] = options.Steps.ToString(CultureInfo.InvariantCulture),
            ["ema_decay"] = options.EmaDecay.ToString("R", CultureInfo.InvariantCulture),
        });
        return new TrainingResult(path, options.Steps, lastLoss, elapsedBefore + clock.Elapsed);
    }

    static void Load(IdmModel model, string path)
    {
        using var loaded = IdmWeights.Load(path);
        using var _ = no_grad();
        var target = model.state_dict();
        foreach (var (name, tensor) in loaded.state_dict()) target[name].copy_(tensor);
        model.TargetScale = loaded.TargetScale;
    }
}
