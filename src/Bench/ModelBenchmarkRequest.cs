using Pipeline.Models.Inference;

namespace Pipeline.Bench;

/// <summary>What <c>sr bench-models</c> measures.</summary>
/// <param name="LrTile">LR tile side in pixels (the output tile is this × scale).</param>
/// <param name="Repeats">Timed runs per row (their median), after one untimed (counting) run.</param>
/// <param name="Families">Model families to measure (null: all registered).</param>
/// <param name="Configs">Configurations to measure in each family that knows them (null: each family's defaults).</param>
/// <param name="Steps">Step counts, for families whose step count is free.</param>
/// <param name="Precisions">Each model row is measured in each of these (fp32, bf16).</param>
public sealed record ModelBenchmarkRequest(
    double Scale = 4,
    int LrTile = 64,
    int Repeats = 3,
    IReadOnlyList<string>? Families = null,
    IReadOnlyList<string>? Configs = null,
    IReadOnlyList<int>? Steps = null,
    string Device = "cpu",
    IReadOnlyList<TorchPrecision>? Precisions = null);
