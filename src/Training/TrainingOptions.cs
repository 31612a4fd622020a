using Pipeline.Models.Configuration;

namespace Pipeline.Training;

/// <summary>
/// Everything a training run needs. Start from <see cref="Defaults"/> (the spec's recipe for the stage and config)
/// and override with <c>with</c>.
/// </summary>
public sealed record TrainingOptions
{
    public required TrainingStage Stage { get; init; }
    public required string Config { get; init; }
    public required string DataDir { get; init; }
    public required string OutputDir { get; init; }

    /// <summary>Stage-1 weights file (stage2 / lcmsr only).</summary>
    public string? Stage1Weights { get; init; }

    public int Steps { get; init; } = 1000;
    public int BatchSize { get; init; } = 8;
    public PatchOptions Patches { get; init; } = new(null, 128, 2, 4, 0.5, 4);

    /// <summary>"adam" (stage 1) or "adamw" (stage 2 / LCMSR).</summary>
    public string Optimizer { get; init; } = "adamw";
    public double LearningRate { get; init; } = 2e-4;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Cosine decay to this learning rate over <see cref="Steps"/>; null keeps it constant.</summary>
    public double? MinLearningRate { get; init; }

    /// <summary>Gradient-norm clipping; null for none.</summary>
    public double? GradClip { get; init; }

    public double KlWeight { get; init; } = 1e-6;
    public double KdWeight { get; init; } = 1.0;
    public double EmaDecay { get; init; } = 0.999;

    /// <summary>Batches used to measure the latent scale factor when stage 2 starts.</summary>
    public int ScaleFactorBatches { get; init; } = 10;

    /// <summary>Stage 2 / LCMSR: start from this weights file of the same kind (fine-tuning) instead of from stage 1.</summary>
    public string? InitWeights { get; init; }

    /// <summary>Stage 2 / LCMSR: weight of L1(decode(c), HR), the deterministic path's pixel loss (0: the spec's
    /// latent-only losses).</summary>
    public double PixelWeight { get; init; }

    /// <summary>Stage 2 / LCMSR: the pixel loss is MSE (what PSNR measures) instead of L1.</summary>
    public bool PixelMse { get; init; }

    /// <summary>Stage 2 / LCMSR: also train the decoder, through the pixel loss (needs <see cref="PixelWeight"/>). The
    /// stage-1 encoder that makes the targets stays frozen.</summary>
    public bool TuneDecoder { get; init; }

    /// <summary>Stage 2 / LCMSR: keep the UNet as it is and leave out its sampler loss (fine-tuning the deterministic
    /// path only: longer sampler training regresses the samples to the mean, losing their detail).</summary>
    public bool FreezeUNet { get; init; }

    /// <summary>Initialise the CondNet from the stage-1 encoder (LR↑ input channels, mean output channels).</summary>
    public bool WarmStartCondNet { get; init; } = true;

    public int Seed { get; init; } = 0;
    public string Device { get; init; } = "cpu";

    /// <summary>libtorch intra-op threads; null leaves the default.</summary>
    public int? Threads { get; init; }

    public int MaxImages { get; init; } = int.MaxValue;
    public int LogEvery { get; init; } = 10;
    public int CheckpointEvery { get; init; } = 200;

    /// <summary>Continue from OutputDir/checkpoint when it exists.</summary>
    public bool Resume { get; init; } = true;

    public SrConfig ModelConfig => SrConfig.ByName(Config);

    /// <summary>The recipe of docs/models.md for a stage: §5.1 for "paper", §5.2 for "small".</summary>
    public static TrainingOptions Defaults(TrainingStage stage, string config, string dataDir, string outputDir, string? stage1Weights = null)
    {
        var paper = SrConfig.ByName(config).Name == "paper";
        var baseOptions = new TrainingOptions { Stage = stage, Config = config, DataDir = dataDir, OutputDir = outputDir, Stage1Weights = stage1Weights };
        return (stage, paper) switch
        {
            (TrainingStage.Stage1, true) => baseOptions with
            {
                Optimizer = "adam",
                LearningRate = 1.8e-5,
                Beta1 = 0.5,
                Beta2 = 0.9,
                WeightDecay = 0,
                BatchSize = 4,
                Patches = new PatchOptions(48, null, 1, 8),
                Steps = 780_000,
            },
            (TrainingStage.Stage1, false) => baseOptions with
            {
                Optimizer = "adam",
                LearningRate = 2e-4,
                Beta1 = 0.9,
                Beta2 = 0.99,
                WeightDecay = 0,
                MinLearningRate = 1e-5,
                GradClip = 1.0,
                BatchSize = 8,
                Patches = new PatchOptions(null, 128, 2, 4, 0.5, 4),
                Steps = 1000,
            },
            (TrainingStage.Stage2, true) => baseOptions with
            {
                LearningRate = 8e-5,
                BatchSize = 8,
                EmaDecay = 0.9999,
                Patches = new PatchOptions(null, 256, 1, 8),
                WarmStartCondNet = false,
                Steps = 1_000_000,
            },
            (TrainingStage.Lcmsr, true) => baseOptions with
            {
                LearningRate = 1.6e-4,
                BatchSize = 16,
                EmaDecay = 0.9999,
                Patches = new PatchOptions(null, 256, 4, 4),
                WarmStartCondNet = false,
                Steps = 1_000_000,
            },
            (TrainingStage.Idm, true) => baseOptions with
            {
                Optimizer = "adam",
                LearningRate = 1e-4,
                WeightDecay = 0,
                BatchSize = 64,
                EmaDecay = 0.9999,
                Patches = new PatchOptions(null, 128, 1, 8),
                Steps = 1_500_000,
            },
            (TrainingStage.Idm, false) => baseOptions with
            {
                Optimizer = "adam",
                LearningRate = 2e-4,
                MinLearningRate = 1e-5,
                WeightDecay = 0,
                GradClip = 1.0,
                BatchSize = 16,
                EmaDecay = 0.999,
                Patches = new PatchOptions(null, 64, 2, 8, 0.25, 4),
                Steps = 2000,
                CheckpointEvery = 100,
            },
            _ => baseOptions with
            {
                LearningRate = 2e-4,
                BatchSize = 8,
                EmaDecay = 0.999,
                GradClip = 1.0,
                Patches = new PatchOptions(null, 128, 2, 4, 0.5, 4),
                Steps = 1000,
            },
        };
    }
}
