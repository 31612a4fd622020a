using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Grains.Workers;

namespace Pipeline.Grains.Tests;

[Collection(SiloHostCollection.Name)]
public sealed class SiloHostWebTests(SiloHostFixture silo) : IDisposable
{
    const string Token = SiloHostFixture.Token;
    readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_dashboard_answers_only_with_the_token()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(Dashboard("/dashboard/")));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(Dashboard("/dashboard/"), "wrong-token"));
        Assert.Equal(HttpStatusCode.OK, await Get(Dashboard("/dashboard/"), Token));
    }

    [Fact]
    public async Task A_browser_opening_the_dashboard_with_the_token_once_keeps_access_by_cookie()
    {
        // HttpClient keeps cookies like a browser does.
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(Dashboard("/dashboard/?token=wrong-token")));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(Dashboard("/dashboard/")));
        Assert.Equal(HttpStatusCode.OK, await Get(Dashboard($"/dashboard/?token={Token}")));
        Assert.Equal(HttpStatusCode.OK, await Get(Dashboard("/dashboard/")));
    }

    [Fact]
    public async Task The_dashboard_is_only_on_its_own_listener()
    {
        Assert.Equal(HttpStatusCode.NotFound, await Get(Http("/dashboard/"), Token));
        Assert.Equal(HttpStatusCode.NotFound, await Get(Dashboard("/health/ready"), Token));
    }

    [Fact]
    public async Task Health_reports_the_started_silo_live_and_ready()
    {
        Assert.Equal(HttpStatusCode.OK, await Get(Http("/health/live")));
        Assert.Equal(HttpStatusCode.OK, await Get(Http("/health/ready")));
    }

    [Fact]
    public async Task Prometheus_exposes_the_tile_metrics_after_a_tile()
    {
        await silo.App.Services.GetRequiredService<IGrainFactory>().ForTile(0).Upscale(TestTiles.Request("metrics", 0));

        var metrics = await _http.GetStringAsync(Http("/metrics"));

        Assert.Contains("pipeline_tiles_processed_total{", metrics);
        Assert.Contains("pipeline_tiles_model_duration_milliseconds_bucket{", metrics);
    }

    Uri Http(string path) => new($"http://127.0.0.1:{silo.HttpPort}{path}");
    Uri Dashboard(string path) => new($"http://127.0.0.1:{silo.DashboardPort}{path}");

    async Task<HttpStatusCode> Get(Uri uri, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }
}
