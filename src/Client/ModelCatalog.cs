using Pipeline.Imaging;

namespace Pipeline.Client;

/// <summary>Maps a <c>--model</c> value to an upscaler.</summary>
static class ModelCatalog
{
    public static ITileUpscaler Resolve(string model) => model switch
    {
        "bicubic" => new BicubicUpscaler(),
        _ => throw new ArgumentException($"{model}: unknown model (available: bicubic)"),
    };
}
