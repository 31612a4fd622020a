using Pipeline.Hosting;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;

namespace Pipeline.Client.Batch;

/// <summary>A silo embedded in this process, as <c>upscale</c> uses, with the model loaded once for the whole batch
/// (each job brings its scene's black and white levels to the model, so scenes of any radiometry share it).</summary>
sealed class EmbeddedBackend : BatchBackend
{
    readonly ITileUpscaler upscaler;
    readonly ClusterConnection connection;

    EmbeddedBackend(ITileUpscaler upscaler, ClusterConnection connection)
    {
        this.upscaler = upscaler;
        this.connection = connection;
    }

    public static async Task<EmbeddedBackend> StartAsync(string model, SamplingOptions sampling, string device, TorchPrecision precision, CancellationToken cancellation)
    {
        var upscaler = ModelCatalog.Resolve(model, sampling, device: device, precision: precision);
        try
        {
            return new EmbeddedBackend(upscaler, await ClusterConnection.EmbeddedAsync(upscaler, ModelCatalog.ParallelTilesFor(upscaler), cancellation));
        }
        catch
        {
            (upscaler as IDisposable)?.Dispose();
            throw;
        }
    }

    public override string Description => "embedded silo";

    public override bool Embedded => true;

    public override IGrainFactory Grains => connection.Grains;

    public override async ValueTask DisposeAsync()
    {
        await connection.DisposeAsync();
        (upscaler as IDisposable)?.Dispose();
    }
}
