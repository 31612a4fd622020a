using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Grains.Jobs;
using Pipeline.Hosting;

namespace Pipeline.Grains.Tests;

/// <summary>The jobs page in a real headless browser (Debian's chromium): a silo runs a job, the page is loaded
/// with the dashboard token and must show the job, its state and tiles, and a preview image the browser decoded.</summary>
[Collection(SiloHostCollection.Name)]
public sealed class JobsPageTests(SiloHostFixture silo)
{
    string Page(string path) => $"http://127.0.0.1:{silo.DashboardPort}{path}";

    [Fact]
    public async Task A_browser_shows_a_finished_job_with_its_tiles_and_preview()
    {
        using var files = new SceneFiles();
        var id = $"page-{Guid.NewGuid():N}";
        var job = silo.App.Services.GetRequiredService<IGrainFactory>().Job(id);
        await job.Submit(new SceneJobSpec(SharedScenes.LandsatRgbnir, files.File("page-x2.tif"), 2, "bicubic"));
        SceneJobStatus status;
        while (!(status = await job.GetStatus()).State.IsFinal()) await Task.Delay(100);

        var dom = await DumpDomAsync(Page($"/jobs?token={SiloHostFixture.Token}"));

        Assert.Contains($"data-job=\"{id}\" data-state=\"succeeded\"", dom);
        Assert.Contains($"<td>{status.TilesTotal}/{status.TilesTotal}</td>", dom);
        // The img's onload wrote the decoded width: the browser received and decoded the PNG preview.
        Assert.Matches($"alt=\"preview of {id}\"[^>]*data-width=\"[1-9][0-9]*\"", dom);
        // Its consistency with a link to the map, which the page serves behind the same token.
        var inconsistency = status.Writer!.Consistency!.Inconsistency;
        Assert.Contains($"{inconsistency.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} %", dom);
        Assert.Contains($"href=\"/jobs/{id}/consistency.tif\">map</a>", dom);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Page($"/jobs/{id}/consistency.tif"));
        request.Headers.Authorization = new("Bearer", SiloHostFixture.Token);
        var map = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, map.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(status.Writer.ConsistencyMap!), await map.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_page_and_its_data_need_the_token_and_live_on_the_dashboard_listener_only()
    {
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(Page("/jobs"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(Page("/jobs/status.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{silo.HttpPort}/jobs")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, Page("/jobs/status.json"));
        request.Headers.Authorization = new("Bearer", SiloHostFixture.Token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    /// <summary>The DOM after the page's scripts ran (virtual time lets its refresh timer fire).</summary>
    internal static async Task<string> DumpDomAsync(string url)
    {
        var start = new ProcessStartInfo("chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--virtual-time-budget=5000", "--dump-dom", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var browser = Process.Start(start)!;
        var stderr = browser.StandardError.ReadToEndAsync();
        var dom = await browser.StandardOutput.ReadToEndAsync();
        await browser.WaitForExitAsync();
        Assert.True(browser.ExitCode == 0, await stderr);
        return dom;
    }
}

/// <summary>The jobs page during a job: on the gated test cluster, held mid-way (<see cref="TileGate"/>), the page
/// (mapped on a bare web host over the cluster's client) must show the job running with part of its mosaic.</summary>
[Collection(PipelineClusterCollection.Name)]
public sealed class RunningJobPageTests(PipelineClusterFixture fixture)
{
    [Fact]
    public async Task A_browser_shows_a_running_job_with_its_progress_and_a_partial_preview()
    {
        using var files = new SceneFiles();
        var pipeline = fixture.Pipeline;
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton<IGrainFactory>(pipeline.Client);
        await using var web = builder.Build();
        Pipeline.Silo.JobsPage.MapJobsPage(web);
        await web.StartAsync();
        var id = $"running-{Guid.NewGuid():N}";
        pipeline.Gate.PauseAfter(24);
        try
        {
            await pipeline.Job(id).Submit(new SceneJobSpec(SharedScenes.LandsatRgbnir, files.File("running-x2.tif"), 2, "bicubic"));
            var status = await pipeline.WaitUntilAsync(id, s => s.BlocksWritten >= 1);

            var dom = await JobsPageTests.DumpDomAsync($"http://127.0.0.1:{port}/jobs");

            Assert.Contains($"data-job=\"{id}\" data-state=\"running\"", dom);
            Assert.Matches($"<td>\\d+/{status.TilesTotal}</td>", dom);
            Assert.Matches($"alt=\"preview of {id}\"[^>]*data-width=\"[1-9][0-9]*\"", dom);
        }
        finally
        {
            pipeline.Gate.Open();
        }
        JobAssertions.Completed(await pipeline.WaitForEndAsync(id));
    }
}
