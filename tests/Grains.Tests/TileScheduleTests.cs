using Pipeline.Grains.Jobs;

namespace Pipeline.Grains.Tests;

public sealed class TileScheduleTests
{
    [Fact]
    public void Tiles_go_lowest_first_and_a_failed_tile_waits_out_a_growing_backoff()
    {
        var schedule = new TileSchedule();
        schedule.Reset([5, 1, 3]);
        var now = DateTime.UtcNow;

        Assert.True(schedule.TryTake(now, out var first));
        Assert.Equal(1, schedule.Failed(first, now, RetryPolicy.Default));
        Assert.True(schedule.TryTake(now, out var second));
        Assert.True(schedule.TryTake(now, out var third));
        Assert.False(schedule.TryTake(now, out _));
        Assert.True(schedule.TryTake(now + TimeSpan.FromMilliseconds(300), out var retried));
        Assert.Equal(2, schedule.Failed(retried, now, RetryPolicy.Default));
        Assert.False(schedule.TryTake(now + TimeSpan.FromMilliseconds(300), out _));

        Assert.Equal((1, 3, 5, 1), (first, second, third, retried));
        Assert.True(schedule.TryTake(now + TimeSpan.FromMilliseconds(600), out _));
    }

    /// <summary>A tile the caller holds back (a crash suspect while another is in flight) is passed over, not lost.</summary>
    [Fact]
    public void A_tile_not_allowed_now_is_passed_over_and_taken_later()
    {
        var schedule = new TileSchedule();
        schedule.Reset([1, 2, 3]);
        var now = DateTime.UtcNow;

        Assert.True(schedule.TryTake(now, out var first, tile => tile != 1));
        Assert.True(schedule.TryTake(now, out var second, tile => tile != 1));
        Assert.False(schedule.TryTake(now, out _, tile => tile != 1));
        Assert.True(schedule.TryTake(now, out var last));

        Assert.Equal((2, 3, 1), (first, second, last));
    }
}
