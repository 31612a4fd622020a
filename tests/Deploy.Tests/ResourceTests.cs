namespace Pipeline.Deploy.Tests;

public sealed class ResourceTests
{
    public static TheoryData<string> OverlayNames => Overlays.All();

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Every_container_requests_cpu_and_memory_and_is_bounded_in_memory(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        Assert.All(manifest.Workloads().SelectMany(w => w.Containers), container =>
        {
            Assert.True(Quantity.Parse(container.Request("cpu") ?? "0") > 0, $"{container["name"]}: no cpu request");
            var memory = Quantity.Parse(container.Request("memory") ?? "0");
            Assert.True(memory > 0, $"{container["name"]}: no memory request");
            Assert.True(Quantity.Parse(container.Limit("memory") ?? "0") >= memory, $"{container["name"]}: memory limit below the request");
        });
    }

    // CPU throttling delays Orleans' membership probes until healthy silos are declared dead.
    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Silos_have_no_cpu_limit(string overlay)
    {
        Assert.All(Overlays.Render(overlay).Silos(), silo => Assert.Null(silo.Container.Limit("cpu")));
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Both_silo_roles_have_a_disruption_budget(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var budgets = manifest.OfKind("PodDisruptionBudget").Select(b => b["spec"]!["selector"]!["matchLabels"].Map()).ToList();

        Assert.All(manifest.Silos(), silo =>
            Assert.Contains(budgets, selector => selector.All(l => silo.Labels.GetValueOrDefault(l.Key) == l.Value)));
    }
}
