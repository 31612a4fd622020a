using static TorchSharp.torch;

namespace Pipeline.Models.Inference;

/// <summary>The <c>--device</c> / <c>Pipeline:Model:Device</c> values: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
public static class TorchDevices
{
    /// <exception cref="ArgumentException">An unknown device, or CUDA where this build or machine has none (one line).</exception>
    public static Device Parse(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        if (value == "cpu") return CPU;
        if (value != "cuda" && !value.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentException($"device '{text}': expected cpu, cuda or cuda:N");
        var index = 0;
        if (value.Length > 4 && (!int.TryParse(value[5..], out index) || index < 0))
            throw new ArgumentException($"device '{text}': expected cuda:N with N a GPU index");
        if (!cuda.is_available())
            throw new ArgumentException(
                $"device '{text}': CUDA is not available here (this build uses libtorch-cpu; GPU nodes build with -p:TorchBuild=cuda and need an NVIDIA driver)");
        var count = cuda.device_count();
        if (index >= count) throw new ArgumentException($"device '{text}': this machine has {count} CUDA device(s)");
        return new Device(DeviceType.CUDA, index);
    }
}
