using System.CommandLine;
using System.Globalization;
using Pipeline.Models.Inference;
using Pipeline.Training;
using Pipeline.Training.Idm;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>train stage1|stage2|lcmsr|idm --data … --out …</c>: one training stage with the recipe of docs/models.md (§5.1 paper,
/// §5.2 small). Writes OutputDir/log.csv, a checkpoint every few hundred steps (a rerun with the same --out resumes
/// from it) and, at the end, OutputDir/{stage1|e2diffsr|lcmsr|idm}.safetensors.
/// </summary>
static class TrainCommand
{
    public static Command Create()
    {
        var stage = new Argument<string>("stage") { Description = "stage1 (autoencoder), stage2 (E²DiffSR), lcmsr (consistency model) or idm (IDM, pixel-space; needs no stage 1)" };
        stage.AcceptOnlyFromAmong("stage1", "stage2", "lcmsr", "idm");
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder of training images (PNG/JPEG, searched recursively)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder: log.csv, checkpoint/, the exported weights", Required = true };
        var config = new Option<string>("--config") { Description = "small or paper", DefaultValueFactory = _ => "small" };
        config.AcceptOnlyFromAmong("small", "paper"); // paper-x4 (LCMSR's fixed-×4 first stage) imports; it does not train here
        var stage1 = new Option<FileInfo?>("--stage1") { Description = "Stage-1 weights (needed by stage2 and lcmsr)" };
        var steps = new Option<int?>("--steps") { Description = "Optimisation steps (default: the recipe's)" };
        var batch = new Option<int?>("--batch") { Description = "Batch size (default: the recipe's)" };
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation, batches and noise", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var learningRate = new Option<double?>("--lr") { Description = "Peak learning rate (default: the recipe's)" }.Invariant();
        var minLearningRate = new Option<double?>("--min-lr") { Description = "Cosine decay from --lr at step 1 to this at --steps (a resumed run joins the curve part-way); default: the recipe's" }.Invariant();
        var scaleRange = new Option<string?>("--scale-range") { Description = "Training scales MIN,MAX drawn uniformly per batch (half the batches stay at ×4); default: the recipe's" };

        var init = new Option<FileInfo?>("--init") { Description = "stage2 / lcmsr: fine-tune this weights file of the same kind instead of starting from stage 1" };
        var pixelWeight = new Option<double>("--pixel-weight") { Description = "stage2 / lcmsr: weight of the deterministic path's L1 pixel loss, L1(decode(c), HR) (default 0: latent losses only)" }.Invariant();
        var pixelLoss = new Option<string>("--pixel-loss") { Description = "stage2 / lcmsr: l1 or mse (what PSNR measures; its gradients are smaller, so raise --pixel-weight)", DefaultValueFactory = _ => "l1" };
        pixelLoss.AcceptOnlyFromAmong("l1", "mse");
        var tuneDecoder = new Option<bool>("--tune-decoder") { Description = "stage2 / lcmsr: also train the decoder, through the pixel loss (needs --pixel-weight)" };
        var kdWeight = new Option<double?>("--kd-weight") { Description = "stage2 / lcmsr: weight of the KD term MSE(c, x₀) (default 1; 0 with --freeze-unet skips the stage-1 encoder each step)" }.Invariant();
        var freezeUNet = new Option<bool>("--freeze-unet") { Description = "stage2 / lcmsr: keep the UNet and drop its sampler loss (fine-tune the deterministic path only)" };

        var command = new Command("train", "Trains one stage of E²DiffSR / LCMSR, or IDM; resumable (rerun with the same --out).")
        {
            stage, data, output, config, stage1, steps, batch, seed, device, learningRate, minLearningRate, scaleRange, init, pixelWeight, pixelLoss, tuneDecoder, freezeUNet, kdWeight,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var options = TrainingOptions.Defaults(Enum.Parse<TrainingStage>(parse.GetValue(stage)!, ignoreCase: true), parse.GetValue(config)!, parse.GetValue(data)!.FullName,
                parse.GetValue(output)!.FullName, parse.GetValue(stage1)?.FullName) with
            {
                Seed = parse.GetValue(seed),
                Device = parse.GetValue(device)!,
                Threads = TorchThreads.ForThisMachine(),
                InitWeights = parse.GetValue(init)?.FullName,
                PixelWeight = parse.GetValue(pixelWeight),
                PixelMse = parse.GetValue(pixelLoss) == "mse",
                TuneDecoder = parse.GetValue(tuneDecoder),
                FreezeUNet = parse.GetValue(freezeUNet),
            };
            if (parse.GetValue(steps) is int n) options = options with { Steps = n };
            if (parse.GetValue(kdWeight) is double kd) options = options with { KdWeight = kd };
            if (parse.GetValue(batch) is int b) options = options with { BatchSize = b };
            if (parse.GetValue(learningRate) is double lr) options = options with { LearningRate = lr };
            if (parse.GetValue(minLearningRate) is double minLr) options = options with { MinLearningRate = minLr };
            if (parse.GetValue(scaleRange) is string range)
            {
                var (min, max) = ParseRange(range);
                options = options with { Patches = options.Patches with { MinScale = min, MaxScale = max } };
            }

            var bar = new TrainingProgressBar($"{options.Stage} {options.Config}".ToLowerInvariant());
            var result = options.Stage == TrainingStage.Idm ? IdmTrainer.Run(options, bar) : Trainer.Run(options, bar);
            Console.WriteLine(FormattableString.Invariant(
                $"wrote {result.WeightsPath}: {result.Steps} steps, {(double.IsNaN(result.FinalLoss) ? "no step run (the checkpoint was already there)" : $"final loss {result.FinalLoss:F5}")}, {result.Elapsed.TotalMinutes:F1} min"));
        }));
        return command;
    }

    static (double Min, double Max) ParseRange(string text)
    {
        var parts = text.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
            && min >= 1 && max >= min)
            return (min, max);
        throw new ArgumentException($"--scale-range: expected MIN,MAX with 1 <= MIN <= MAX, got '{text}'");
    }
}
