using System.Net;
using System.Net.Sockets;
using Pipeline.Grains.Jobs;

namespace Pipeline.Grains.Tests;

/// <summary>A silo reads no remote scene unless its Pipeline:Inputs lists the host: a job naming one is refused at
/// submit, in one line, without any request to that host.</summary>
[Collection(PipelineClusterCollection.Name)]
public sealed class RemoteInputSubmitTests(PipelineClusterFixture fixture) : IDisposable
{
    readonly SceneFiles files = new();

    public void Dispose() => files.Dispose();

    [Theory]
    [InlineData("http://127.0.0.1:{0}/scene.tif")]
    [InlineData("/vsicurl/http://127.0.0.1:{0}/scene.tif")]
    [InlineData("NETCDF:\"/vsicurl/http://127.0.0.1:{0}/scene.nc\":Band1")]
    public async Task A_job_reading_a_remote_scene_is_refused_at_submit_by_a_silo_left_at_its_defaults(string input)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var path = string.Format(input, ((IPEndPoint)listener.LocalEndpoint).Port);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Pipeline.Job($"job-{Guid.NewGuid():N}").Submit(new SceneJobSpec(path, files.File("out.tif"), 2, "bicubic")));
        Assert.Equal($"{path}: remote scenes are not read here (Pipeline:Inputs:AllowedHosts is empty)", error.Message);
        Assert.False(listener.Pending(), "the silo contacted the scene's host");
        Assert.Empty(files.Leftovers());
    }
}
