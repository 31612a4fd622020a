using Pipeline.PoisonModel;
using Pipeline.Models.Inference;

/// <summary>Run by .NET before a silo process's Main when the test sets <c>DOTNET_STARTUP_HOOKS</c> to this assembly:
/// registers the test-only <see cref="PoisonFamily"/>, as a plug-in family would be.</summary>
internal static class StartupHook
{
    public static void Initialize() => ModelCatalog.Register(new PoisonFamily());
}
