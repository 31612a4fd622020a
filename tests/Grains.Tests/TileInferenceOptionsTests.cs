using Pipeline.Grains.Workers;

namespace Pipeline.Grains.Tests;

public sealed class TileInferenceOptionsTests
{
    [Theory]
    [InlineData(3, 0, 3)]  // configured explicitly
    [InlineData(3, 2, 3)]  // explicit wins over the GPU count
    [InlineData(0, 2, 2)]  // one per GPU
    [InlineData(0, 0, 16)] // CPU silo: the processor count
    public void Concurrency_is_explicit_else_one_per_gpu_else_the_processor_count(int configured, int gpus, int expected) =>
        Assert.Equal(expected, new TileInferenceOptions { MaxConcurrency = configured, GpuCount = gpus }.EffectiveConcurrency(processorCount: 16));

    [Fact]
    public void A_negative_bound_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => new TileInferenceOptions { MaxConcurrency = -1 }.EffectiveConcurrency(4));
}
