using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.GdalIO;

namespace Pipeline.Hosting;

/// <summary>Puts the silo's <see cref="InputPolicy"/> on every connection GDAL opens (<see cref="RemoteGate"/>) before
/// the first job reads: redirects, re-resolved names and endless bodies are checked there, not only the job's path.</summary>
sealed class RemoteGateAtStart(InputPolicy policy, SiloInputOptions options, ILogger<RemoteGateAtStart> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GdalNetwork.Configure(policy, options.MaxBytesPerConnection, message => logger.LogWarning("{Refusal}", message));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
