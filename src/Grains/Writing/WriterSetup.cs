using Pipeline.Grains.Planning;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Writing;

/// <summary>How a writer grain starts a generation's output file. The input header is read again on the writer's
/// silo (paths are on storage every silo sees) so the output's georeferencing and metadata come from the file.
/// <see cref="MaxInconsistency"/> (percent, <c>--max-inconsistency</c>): an output over it is kept aside, not put in place.</summary>
[GenerateSerializer, Immutable]
public sealed record WriterSetup(
    [property: Id(0)] int Generation,
    [property: Id(1)] string InputPath,
    [property: Id(2)] string OutputPath,
    [property: Id(3)] double Scale,
    [property: Id(4)] PlanParameters Plan,
    [property: Id(5)] OutputCompression Compression,
    [property: Id(7)] OutputKind Format,
    [property: Id(8)] string Model,
    [property: Id(9)] string? WeightsSha256,
    [property: Id(10)] double Black,
    [property: Id(11)] double White,
    [property: Id(12)] double? MaxInconsistency,
    [property: Id(13)] bool Enforced = false,
    [property: Id(14)] int UncertaintyDraws = 0)
{
    public OutputFormat Output => new(Format, Compression);

    /// <summary>The scene's black and white: consistency figures are fractions of their distance.</summary>
    public ValueRange Levels => new(Black, White);
}
