namespace Pipeline.Grains.Workers;

/// <summary>Configuration section <see cref="SectionName"/>.</summary>
public sealed class TileInferenceOptions
{
    public const string SectionName = "Pipeline:Inference";

    /// <summary>Model calls one silo runs at once. 0 (default): one per GPU when the silo declares GPUs
    /// (metadata <c>gpu.count</c>), otherwise the processor count.</summary>
    public int MaxConcurrency { get; set; }

    /// <summary>GPUs this silo may use, from its metadata; set by the silo configuration, not by hand.</summary>
    public int GpuCount { get; set; }

    public int EffectiveConcurrency(int processorCount)
    {
        if (MaxConcurrency < 0) throw new InvalidOperationException($"{SectionName}:{nameof(MaxConcurrency)} must not be negative, got {MaxConcurrency}");
        return MaxConcurrency > 0 ? MaxConcurrency : GpuCount > 0 ? GpuCount : Math.Max(1, processorCount);
    }
}
