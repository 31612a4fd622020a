namespace Pipeline.Client.Tests;

/// <summary>A job whose output folder fills up: exit 1, one <c>error: &lt;file&gt;: &lt;problem&gt;</c> line that says
/// the disk is full, and no file of any name left in the folder. The folder is a 256 KiB tmpfs mounted in a private
/// mount namespace (<c>unshare</c>, no root needed where user namespaces are enabled), so the check runs inside it.</summary>
public class FullDiskTests
{
    [Fact]
    public async Task A_full_disk_fails_the_job_with_one_clear_line_and_leaves_nothing()
    {
        var folder = TestScenes.TemporaryFolder("sr-full-");
        const string script = """
            mount -t tmpfs -o size=256k tmpfs "$1" || exit 90
            dotnet "$2" upscale "$3" --out "$1/out.tif" --scale 2 --model bicubic --quiet
            rc=$?
            echo "left: [$(ls -A "$1")]"
            exit $rc
            """;
        var scene = TestScenes.Crop("neon_BART_2019_rgb_10cm_1213x1106.tif", 1024, 1024);
        await using var run = ChildProcess.Start("unshare", ["-rm", "sh", "-c", script, "sh", folder, Sr.Dll, scene]);
        var exitCode = await run.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 1, $"exit {exitCode}\n{run.Stdout}\n{run.Stderr}");
        var errors = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(errors);
        Assert.StartsWith($"error: {folder}/out.tif: no space left on the device", errors[0]);
        Assert.Contains("left: []", run.Stdout);
    }
}
