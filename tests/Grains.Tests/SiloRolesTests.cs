using Pipeline.Grains.Placement;

namespace Pipeline.Grains.Tests;

public sealed class SiloRolesTests
{
    static Dictionary<string, string> Metadata(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(pair => pair.Key, pair => pair.Value);

    [Theory]
    [InlineData("worker", true)]
    [InlineData("coordinator, Worker", true)]
    [InlineData("coordinator", false)]
    [InlineData("workers", false)]
    [InlineData("", false)]
    public void The_worker_role_is_one_entry_of_a_comma_separated_list(string roles, bool declaresWorker) =>
        Assert.Equal(declaresWorker, SiloRoles.DeclaresWorker(Metadata(("role", roles))));

    [Theory]
    [InlineData("coordinator", true)]
    [InlineData("worker, Coordinator", true)]
    [InlineData("worker", false)]
    [InlineData("coordinators", false)]
    public void The_coordinator_role_is_one_entry_of_a_comma_separated_list(string roles, bool declaresCoordinator) =>
        Assert.Equal(declaresCoordinator, SiloRoles.DeclaresCoordinator(Metadata(("role", roles))));

    [Fact]
    public void Keys_match_whatever_their_case_because_environment_variables_arrive_upper_case()
    {
        Assert.True(SiloRoles.DeclaresWorker(Metadata(("ROLE", "WORKER"))));
        Assert.Equal(2, SiloRoles.GpuCount(Metadata(("GPU.COUNT", "2"))));
    }

    [Fact]
    public void A_silo_without_metadata_is_no_worker_and_has_no_gpu()
    {
        Assert.False(SiloRoles.DeclaresWorker(Metadata()));
        Assert.Equal(0, SiloRoles.GpuCount(Metadata()));
    }

    [Theory]
    [InlineData("two")]
    [InlineData("-1")]
    public void A_malformed_gpu_count_fails_loudly(string value) =>
        Assert.Throws<FormatException>(() => SiloRoles.GpuCount(Metadata(("gpu.count", value))));
}
