
namespace Pipeline.Training;

/// <summary>Reported every <see cref="TrainingOptions.LogEvery"/> steps and at the end.</summary>
public sealed record TrainingProgress(
    int Step, int TotalSteps, double Loss, IReadOnlyDictionary<string, double> Terms, double LearningRate, double Scale,
    double SecondsPerStep, double SamplesPerSecond, TimeSpan Elapsed, TimeSpan Remaining)
{
    public override string ToString() =>
        FormattableString.Invariant(
            $"step {Step}/{TotalSteps} loss {Loss:F5} ({string.Join(", ", Terms.Select(t => $"{t.Key} {t.Value:F5}"))}) lr {LearningRate:G3} s {Scale:F2} {SecondsPerStep:F2} s/step {SamplesPerSecond:F1} samples/s eta {Remaining:hh\\:mm\\:ss}");
}

/// <param name="WeightsPath">The exported weights file (stage1 / e2diffsr / lcmsr .safetensors).</param>
public sealed record TrainingResult(string WeightsPath, int Steps, double FinalLoss, TimeSpan Elapsed);
