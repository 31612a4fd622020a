namespace Pipeline.Deploy.Tests;

public sealed class NamespaceTests
{
    public static TheoryData<string> OverlayNames => Overlays.All();

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Every_object_is_in_the_pipeline_namespace(string overlay)
    {
        var manifest = Overlays.Render(overlay);

        Assert.All(manifest.Objects.Where(o => o.Kind() != "Namespace"), o => Assert.Equal(manifest.Namespace, o.Namespace()));
    }
}
