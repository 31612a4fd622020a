namespace Pipeline.Grains.Messages;

/// <summary>How pixel samples travel in a message: the scene's own integer type where it has one
/// (half or a quarter of float32's size), float32 where values are not integers.</summary>
[GenerateSerializer]
public enum SampleFormat
{
    UInt8,
    UInt16,
    Float32,
}

public static class SampleFormatExtensions
{
    public static int BytesPerSample(this SampleFormat format) => format switch
    {
        SampleFormat.UInt8 => 1,
        SampleFormat.UInt16 => 2,
        SampleFormat.Float32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
