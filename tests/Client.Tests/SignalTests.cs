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

/// <summary>Issue 30, finding 4: a remote scene whose server accepts and then never answers. SIGTERM ends the job
/// promptly with exit 4 and one line, not a stack trace after Orleans' 30 s call timeout.</summary>
public class SilentServerSignalTests
{
    [Fact]
    public async Task A_signal_during_a_read_blocked_on_a_silent_server_exits_4_promptly()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<System.Net.Sockets.Socket>();
        using var stopAccepting = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true) accepted.Add(await listener.AcceptSocketAsync(stopAccepting.Token)); // and never answer
            }
            catch (OperationCanceledException)
            {
            }
        });
        var folder = TestScenes.TemporaryFolder("sr-silent-");
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}/scene.tif";
        await using var sr = ChildProcess.Start("env", ["--default-signal=INT,TERM", "dotnet", Sr.Dll,
            "upscale", url, "--out", Path.Combine(folder, "out.tif"), "--scale", "2", "--model", "bicubic", "--quiet"]);

        var clock = Stopwatch.StartNew();
        while (accepted.Count == 0 && !sr.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
        Assert.False(sr.HasExited, sr.Stdout + sr.Stderr);
        Assert.NotEmpty(accepted);
        await Task.Delay(1000);
        using (var kill = Process.Start("kill", ["-TERM", sr.Id.ToString()])) await kill.WaitForExitAsync();
        var signalled = Stopwatch.StartNew();

        var exitCode = await sr.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 4, $"exit {exitCode}\n{sr.Stdout}\n{sr.Stderr}");
        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(15), $"took {signalled.Elapsed.TotalSeconds:F1} s after SIGTERM");
        Assert.DoesNotContain("   at ", sr.Stderr);
        Assert.Contains("was cancelled", sr.Stdout + sr.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        stopAccepting.Cancel();
        await accepting;
        accepted.ForEach(socket => socket.Dispose());
    }
}
