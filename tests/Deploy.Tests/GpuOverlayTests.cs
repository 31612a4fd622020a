using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Grains.Workers;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Deploy.Tests;

/// <summary>GPU scheduling: which pods ask for GPUs, land on GPU nodes, run the CUDA image and bound inference by
/// their GPUs; and that the CPU overlay asks for none.</summary>
public sealed class GpuOverlayTests
{
    public static TheoryData<string> OverlayNames => Overlays.All();

    [Fact]
    public async Task Gpu_overlay_gives_each_worker_one_gpu_on_a_gpu_node_with_the_cuda_image()
    {
        var manifest = Overlays.Render("gpu");
        var worker = manifest.Silo("worker");

        Assert.Equal("1", worker.Container.Limit(ContainerResources.Gpu));
        Assert.NotEmpty(worker.Pod["nodeSelector"].Map());
        Assert.Contains(worker.Pod["tolerations"].Items(), t =>
            (string?)t["key"] == ContainerResources.Gpu && (string?)t["effect"] == "NoSchedule");
        Assert.EndsWith("-cuda", (string)worker.Container["image"]!);
        await using var app = SiloHost.Build(manifest, worker);
        var inference = app.Services.GetRequiredService<IOptions<TileInferenceOptions>>().Value;
        Assert.Equal(1, inference.GpuCount);
        Assert.Equal(1, inference.EffectiveConcurrency(processorCount: 64));
    }

    [Fact]
    public async Task Cpu_overlay_runs_more_workers_each_bounded_by_its_requested_cores()
    {
        var manifest = Overlays.Render("cpu");
        var worker = manifest.Silo("worker");

        Assert.True(Replicas(worker) > Replicas(Overlays.Render("gpu").Silo("worker")));
        Assert.DoesNotContain(manifest.Workloads().SelectMany(w => w.Containers), c => c.Limit(ContainerResources.Gpu) is not null || c.Request(ContainerResources.Gpu) is not null);
        Assert.DoesNotContain(manifest.Workloads(), w => w.Pod["tolerations"] is not null);
        // The runtime sees the cores requested (libtorch sizes its threads by them), and the shipped model runs one
        // tile at a time on them.
        var cores = Assert.IsType<ResourceFieldRef>(manifest.Env(worker.Container)["DOTNET_PROCESSOR_COUNT"]);
        Assert.Equal(((int)Math.Ceiling(Quantity.Parse(worker.Container.Request("cpu")!))).ToString(), worker.Container.Value(cores));
        await using var app = SiloHost.Build(manifest, worker);
        var inference = app.Services.GetRequiredService<IOptions<TileInferenceOptions>>().Value;
        Assert.Equal(0, inference.GpuCount);
        Assert.Equal(1, inference.EffectiveConcurrency(processorCount: 64));
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Every_silo_loads_the_shipped_model(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        foreach (var silo in manifest.Silos())
        {
            await using var app = SiloHost.Build(manifest, silo);
            var model = app.Services.GetRequiredService<ITileUpscaler>();
            Assert.Equal("deterministic-small", model.Name);
            (model as IDisposable)?.Dispose();
        }
    }

    // A GPU goes to a worker only (tiles are placed on workers), in limits (a request must equal it), with the
    // metadata that sizes inference, on the CUDA image; and the CUDA image only where there is a GPU.
    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Only_workers_ask_for_gpus_and_only_gpu_pods_run_the_cuda_image(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        Assert.All(manifest.Workloads(), workload => Assert.All(workload.Containers, container =>
        {
            var gpus = container.Limit(ContainerResources.Gpu);
            Assert.Equal(gpus is not null, ((string)container["image"]!).EndsWith("-cuda", StringComparison.Ordinal));
            if (gpus is null) return;
            var env = manifest.Env(container);
            Assert.Equal("worker", env.Literal("Orleans__Metadata__role"));
            Assert.Equal(gpus, env.Literal("Orleans__Metadata__gpu.count"));
            Assert.True(container.Request(ContainerResources.Gpu) is null || container.Request(ContainerResources.Gpu) == gpus);
        }));
    }

    static int Replicas(Workload workload) => int.Parse((string)workload.Object["spec"]!["replicas"]!);
}
