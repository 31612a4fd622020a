namespace Pipeline.Models.Inference;

/// <summary>The number format a torch model's convolutions run in (<c>--precision</c>, <c>Pipeline:Model:Precision</c>).</summary>
public enum TorchPrecision
{
    /// <summary>float32 throughout (the default).</summary>
    Fp32,

    /// <summary>Convolutions in bfloat16 (weights and inputs), everything else in float32: see <see cref="Bf16Convolutions"/>.</summary>
    Bf16,
}

public static class TorchPrecisions
{
    public static IReadOnlyList<string> Names { get; } = ["fp32", "bf16"];

    /// <exception cref="ArgumentException">Neither fp32 nor bf16 (one line).</exception>
    public static TorchPrecision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => TorchPrecision.Fp32,
        "bf16" or "bfloat16" => TorchPrecision.Bf16,
        _ => throw new ArgumentException($"precision '{text}': expected fp32 or bf16"),
    };

    public static string NameOf(TorchPrecision precision) => precision == TorchPrecision.Bf16 ? "bf16" : "fp32";

    /// <summary>The CPU's native bfloat16 instructions as /proc/cpuinfo lists them (avx512_bf16, amx_bf16), or "none":
    /// without them libtorch emulates bf16 convolutions and they run slower than fp32 (docs/benchmarks.md, "bf16").</summary>
    public static string CpuBf16Instructions()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo)) return "unknown";
        var flags = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
        var native = flags.Where(f => f is "avx512_bf16" or "amx_bf16").ToList();
        return native.Count == 0 ? "none" : string.Join(", ", native);
    }
}
