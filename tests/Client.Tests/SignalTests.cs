using System.Diagnostics;

namespace Pipeline.Client.Tests;

/// <summary>SIGINT and SIGTERM sent to a real <c>sr upscale</c> mid-job: the job is cancelled, the temporary output is
/// deleted and the exit code is the documented 4 (not the shell's 130/143).</summary>
public class SignalTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_mid_job_cancels_it_leaves_no_file_and_exits_4(string signal)
    {
        var folder = TestScenes.TemporaryFolder("sr-signal-");
        var scene = TestScenes.Crop("neon_BART_2019_rgb_10cm_1213x1106.tif", 1024, 1024);
        // Through env --default-signal: a test run started in the background of a non-interactive shell inherits SIGINT
        // ignored, and .NET then leaves it ignored, as shells do; a user's terminal never does that.
        await using var sr = ChildProcess.Start("env", ["--default-signal=INT,TERM", "dotnet", Sr.Dll,
            "upscale", scene, "--out", Path.Combine(folder, "out.tif"), "--scale", "4", "--model", "small", "--quiet"]);

        // Mid-job: the temporary output exists (the writer opened it) and the model is at work on the first tiles.
        var clock = Stopwatch.StartNew();
        while (Directory.GetFiles(folder).Length == 0 && !sr.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(100);
        Assert.False(sr.HasExited, sr.Stdout + sr.Stderr);
        Assert.NotEmpty(Directory.GetFiles(folder));
        using (var kill = Process.Start("kill", [$"-{signal}", sr.Id.ToString()])) await kill.WaitForExitAsync();

        var exitCode = await sr.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 4, $"exit {exitCode}\n{sr.Stdout}\n{sr.Stderr}");
        Assert.Contains("was cancelled", sr.Stdout + sr.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }
}
