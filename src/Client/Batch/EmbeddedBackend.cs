using System.Globalization;
using Pipeline.Client.Jobs;
using Pipeline.Imaging;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Inference;

namespace Pipeline.Client.Batch;

/// <summary>
/// Silos embedded in this process, as <c>upscale</c> uses. A silo runs one upscaler, and a torch model maps a
/// scene's values to its range with the scene's own black and white levels (<see cref="SceneValueRange"/>), so
/// scenes are grouped by those levels, a silo per group (bicubic: one silo for the whole batch). A silo no scene
/// uses is stopped when another group needs one, so at most the groups in flight hold a model.
/// </summary>
sealed class EmbeddedBackend(string model, int? tileSize, int? overlap) : BatchBackend
{
    readonly SemaphoreSlim gate = new(1, 1);
    readonly Dictionary<string, Silo> silos = [];

    public override string Description => "embedded silo";

    public override bool Embedded => true;

    public override async Task<SceneLease> AcquireAsync(string input, CancellationToken cancellation)
    {
        var (black, white) = model == "bicubic" ? (0d, 255d) : SceneValueRange.Of(input);
        var key = string.Create(CultureInfo.InvariantCulture, $"{black:R}/{white:R}");
        Silo silo;
        await gate.WaitAsync(cancellation);
        try
        {
            if (!silos.TryGetValue(key, out silo!))
            {
                foreach (var idle in silos.Where(s => s.Value.Users == 0).ToList())
                {
                    silos.Remove(idle.Key);
                    await idle.Value.DisposeAsync();
                }
                var upscaler = ModelCatalog.Resolve(model, new SamplingOptions(SamplerKind.Deterministic), black, white);
                silos[key] = silo = new Silo(upscaler, ClusterConnection.EmbeddedAsync(upscaler, ModelCatalog.ParallelTilesFor(upscaler), CancellationToken.None));
            }
            silo.Users++;
        }
        finally
        {
            gate.Release();
        }
        var connection = await silo.Connection;
        return new SceneLease(connection.Grains, ModelCatalog.TilingFor(silo.Upscaler, tileSize, overlap), () => Release(silo));
    }

    void Release(Silo silo)
    {
        gate.Wait();
        silo.Users--;
        gate.Release();
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var silo in silos.Values) await silo.DisposeAsync();
        silos.Clear();
        gate.Dispose();
    }

    sealed class Silo(ITileUpscaler upscaler, Task<ClusterConnection> connection) : IAsyncDisposable
    {
        public ITileUpscaler Upscaler { get; } = upscaler;
        public Task<ClusterConnection> Connection { get; } = connection;
        public int Users { get; set; }

        public async ValueTask DisposeAsync()
        {
            await (await Connection).DisposeAsync();
            (Upscaler as IDisposable)?.Dispose();
        }
    }
}
