using System.Net;
using Microsoft.Extensions.Configuration;
using Pipeline.Silo;

namespace Pipeline.Deploy.Tests;

/// <summary>A silo does not start with its dashboard reachable off loopback and no token.</summary>
public sealed class DashboardExposureTests
{
    static SiloWebSettings Settings(params (string Key, string Value)[] values) =>
        SiloWebSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Pipeline:" + v.Key, v.Value))).Build());

    [Fact]
    public void A_dashboard_off_loopback_without_a_token_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Settings(("Dashboard:Host", "0.0.0.0")));
        Assert.Contains("Pipeline:Dashboard:Token is not set", error.Message);
    }

    [Fact]
    public void Loopback_a_token_or_no_dashboard_start()
    {
        Assert.True(IPAddress.IsLoopback(Settings().Dashboard.Address));
        Assert.Equal("s3cret", Settings(("Dashboard:Host", "0.0.0.0"), ("Dashboard:Token", "s3cret")).DashboardToken);
        Assert.False(Settings(("Dashboard:Host", "0.0.0.0"), ("Dashboard:Enabled", "false")).DashboardEnabled);
    }
}
