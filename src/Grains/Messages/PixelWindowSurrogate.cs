using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Messages;

/// <summary>Wire form of <see cref="PixelWindow"/>, which lives in the Orleans-free imaging library.</summary>
[GenerateSerializer, Immutable]
public readonly struct PixelWindowSurrogate
{
    [Id(0)] public int X { get; init; }
    [Id(1)] public int Y { get; init; }
    [Id(2)] public int Width { get; init; }
    [Id(3)] public int Height { get; init; }
}

[RegisterConverter]
public sealed class PixelWindowSurrogateConverter : IConverter<PixelWindow, PixelWindowSurrogate>
{
    public PixelWindow ConvertFromSurrogate(in PixelWindowSurrogate surrogate) =>
        new(surrogate.X, surrogate.Y, surrogate.Width, surrogate.Height);

    public PixelWindowSurrogate ConvertToSurrogate(in PixelWindow value) =>
        new() { X = value.X, Y = value.Y, Width = value.Width, Height = value.Height };
}
