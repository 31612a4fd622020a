using Pipeline.Models.Inference;
using Pipeline.Models.Weights;

namespace Pipeline.Hosting;

/// <summary>The model a silo loads (configuration section <see cref="SectionName"/>): every worker of a cluster must run
/// the same one, and jobs name it (<c>deterministic-small</c>, <c>bicubic</c>…).</summary>
public sealed class SiloModelOptions
{
    public const string SectionName = "Pipeline:Model";

    /// <summary>bicubic, small (the shipped weights), a shipped weights name or a .safetensors path; default: the shipped
    /// model when its weights are installed, else bicubic (<see cref="ModelCatalog.DefaultModel"/>).</summary>
    public string? Name { get; set; }

    /// <summary>A sampler of the model's family (deterministic, e2diffsr, lcmsr; ddim); empty (default): the model's own.</summary>
    public string Sampler { get; set; } = "";

    /// <summary>Seed of the scene-wide noise field (e2diffsr, lcmsr).</summary>
    public ulong Seed { get; set; }

    /// <summary>IDM's DDIM steps (0: its default).</summary>
    public int Steps { get; set; }

    /// <summary>cpu (default), cuda or cuda:N: where the model runs.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>fp32 (default) or bf16: the number format of a torch model's convolutions. Every silo of a cluster must
    /// use the same (a job's workers refuse tiles of another: the precision is part of the model's running name).</summary>
    public string Precision { get; set; } = "fp32";

    public SamplingOptions Sampling => new(Sampler, Seed, Steps: Steps);

    /// <summary>Fails the silo's start, not its first job, on a model or sampler that does not exist.</summary>
    /// <exception cref="ArgumentException">One line naming the setting and the problem.</exception>
    public void Validate()
    {
        try
        {
            var name = Name ?? ModelCatalog.DefaultModel;
            if (Steps < 0) throw new ArgumentException($"Steps: {Steps} is negative");
            ModelCatalog.Check(name, Sampling, Device);
            TorchPrecisions.Parse(Precision);
        }
        catch (Exception e) when (e is ArgumentException or ModelWeightsException)
        {
            throw new ArgumentException($"{SectionName}: {e.Message}", e);
        }
    }
}
