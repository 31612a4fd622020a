namespace Pipeline.Cluster.Tests;

/// <summary>
/// <c>sr bench-pipeline</c>'s multi-process parts on a small scene: they start real silo processes, which load a
/// model of their own (the shipped one by default), so the bench must tell them which model its jobs ask for.
/// The figures themselves are docs/benchmarks.md's, measured on the full command; this checks that the command runs.
/// </summary>
public sealed class BenchPipelineTests
{
    [Fact]
    public async Task Scaling_and_memory_parts_run_on_silo_processes_and_print_their_tables()
    {
        var result = await Sr.RunAsync(
            ["bench-pipeline", "--scene", TestScenes.LandsatRgbnir, "--parts", "scaling", "memory", "--silos", "1",
             "--memory-silos", "1", "--synthetic", "0", "--silo-host", BuildOutput.File("Silo", "pipeline-silo.dll")],
            timeout: TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var lines = result.Stdout.Split('\n');
        Assert.Contains(lines, line => line.StartsWith("| 1 | ", StringComparison.Ordinal));            // scaling, 1 silo
        Assert.Contains(lines, line => line.StartsWith("| 0 | ", StringComparison.Ordinal) && line.Contains(" MiB ("));  // memory, silo 0
    }
}
