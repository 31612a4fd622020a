using Pipeline.Hosting;
using Pipeline.Models.Inference;

namespace Pipeline.Models.Tests;

/// <summary>--device and Pipeline:Model:Device: cpu works, unknown names and CUDA on this CPU-only build are refused with
/// one line saying why (this machine has no GPU; the CUDA path itself needs a GPU node).</summary>
public class TorchDevicesTests
{
    [Fact]
    public void Cpu_parses_and_malformed_devices_are_refused()
    {
        Assert.Equal(TorchSharp.DeviceType.CPU, TorchDevices.Parse("cpu").type);
        Assert.Equal(TorchSharp.DeviceType.CPU, TorchDevices.Parse(" CPU ").type);
        Assert.Contains("expected cpu, cuda or cuda:N", Assert.Throws<ArgumentException>(() => TorchDevices.Parse("gpu")).Message);
        Assert.Contains("GPU index", Assert.Throws<ArgumentException>(() => TorchDevices.Parse("cuda:x")).Message);
    }

    [Fact]
    public void Cuda_without_a_gpu_is_refused_naming_the_build()
    {
        if (TorchSharp.torch.cuda.is_available())
        {
            Assert.Equal(TorchSharp.DeviceType.CUDA, TorchDevices.Parse("cuda:0").type);
            return;
        }
        var error = Assert.Throws<ArgumentException>(() => TorchDevices.Parse("cuda:0"));
        Assert.Contains("CUDA is not available", error.Message);
        var silo = new SiloModelOptions { Name = "small", Device = "cuda" };
        Assert.StartsWith("Pipeline:Model: device 'cuda'", Assert.Throws<ArgumentException>(silo.Validate).Message);
    }
}
