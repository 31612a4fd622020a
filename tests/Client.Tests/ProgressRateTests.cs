namespace Pipeline.Client.Tests;

/// <summary>The rate a progress bar shows: only what was done while watching, slow items as seconds per item.</summary>
public sealed class ProgressRateTests
{
    readonly ConsoleProgress bar = new("job", 100, "tiles", lineByLine: true, alreadyDone: 90);

    [Theory]
    [InlineData(0, 5.0, 10, "ETA --:--")]                 // attached to a job under way, no new tile yet (was 312662.8 tiles/s)
    [InlineData(10, 2.0, 40, "5.0 tiles/s ETA 00:08")]
    [InlineData(2, 20.0, 3, "10.0 s/tile ETA 00:30")]    // slow model tiles (was 0.0 tiles/s)
    [InlineData(1, 40.0, 100, "40.0 s/tile ETA 1:06:40")]
    public void The_rate_counts_items_done_while_watching_and_reads_slow_items_per_item(int done, double seconds, int remaining, string expected) =>
        Assert.Equal(expected, bar.Rate(done, seconds, remaining));
}
