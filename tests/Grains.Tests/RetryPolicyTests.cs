using System.Net.Sockets;
using Pipeline.Grains.Jobs;

namespace Pipeline.Grains.Tests;

/// <summary>The one definition of a transient cluster failure, and the one backoff, that the job, the batch, the
/// follower and the client connection share.</summary>
public sealed class RetryPolicyTests
{
    [Fact]
    public void Cluster_failures_are_transient_and_the_works_own_failures_are_not()
    {
        Assert.True(RetryPolicy.IsTransient(new OrleansException("silo gone")));
        Assert.True(RetryPolicy.IsTransient(new TimeoutException()));
        Assert.True(RetryPolicy.IsTransient(new SocketException()));
        Assert.True(RetryPolicy.IsTransient(new OperationCanceledException()));
        Assert.False(RetryPolicy.IsTransient(new InvalidDataException("bad tile")));
        Assert.False(RetryPolicy.IsTransient(new ArgumentException("bad spec")));
        // Once the caller itself stops, nothing is worth retrying.
        Assert.False(RetryPolicy.IsTransient(new OrleansException("silo gone"), new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Backoff_doubles_from_the_first_wait_up_to_the_ceiling()
    {
        var policy = RetryPolicy.Default with { FirstBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(700) };
        Assert.Equal([100, 200, 400, 700, 700], Enumerable.Range(1, 5).Select(n => policy.Backoff(n).TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMilliseconds(700), policy.Backoff(int.MaxValue));
    }

    [Fact]
    public void A_spec_without_a_policy_takes_the_default_and_a_policy_without_attempts_is_refused()
    {
        var spec = new SceneJobSpec("/in.tif", "/out.tif", 2, "bicubic");
        Assert.Same(RetryPolicy.Default, spec.RetriesOrDefault);
        var refused = Assert.Throws<ArgumentException>(() => (spec with { Retries = new RetryPolicy { TileAttempts = 0 } }).Validate());
        Assert.Contains("at least one attempt", refused.Message);
    }
}
