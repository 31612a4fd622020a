using Pipeline.Grains.Jobs;

namespace Pipeline.Grains.Tests;

public class ModelNameTests
{
    [Theory]
    [InlineData("", "deterministic-small", "deterministic-small")]
    [InlineData("small", "deterministic-small", "deterministic-small")]
    [InlineData("deterministic-small", "deterministic-small", "deterministic-small")]
    [InlineData("bicubic", "bicubic", "bicubic")]
    [InlineData("", "bicubic", "bicubic")]
    [InlineData("small", "bicubic", null)]
    [InlineData("bicubic", "deterministic-small", null)]
    [InlineData("paper", "deterministic-small", null)]
    [InlineData("mall", "deterministic-small", null)]
    public void A_job_names_the_running_model_by_full_name_config_name_or_nothing(string requested, string running, string? expected) =>
        Assert.Equal(expected, ModelName.Resolve(requested, running));
}
