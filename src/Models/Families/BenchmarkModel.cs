using Pipeline.Imaging.Tiling;
using static TorchSharp.torch;

namespace Pipeline.Models.Families;

/// <summary>One row of <c>sr bench-models</c>: a tile upscaler as a scene job runs it, the module whose layers are
/// counted, and where its weights came from.</summary>
/// <param name="Config">Configuration column (small, paper, idm-small…).</param>
/// <param name="Method">Method column (deterministic, idm (10 steps)…).</param>
/// <param name="Source">The shipped weights file's name, or "random weights".</param>
/// <param name="TimeOnce">Long enough to time once: the counting run is the timed one.</param>
public sealed record BenchmarkModel(string Config, string Method, ITileUpscaler Upscaler, nn.Module Model, string Source, bool TimeOnce) : IDisposable
{
    public void Dispose() => (Upscaler as IDisposable)?.Dispose();
}
