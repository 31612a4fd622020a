using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Jobs;

/// <summary>
/// What to super-resolve and how: the cluster counterpart of <see cref="SceneUpscaleJob.Run"/>'s arguments.
/// Paths must be ones every silo can open (shared storage); the output is written next to its final name and
/// renamed into place when complete.
/// </summary>
/// <param name="Model">Must name the model the cluster's silos run (checked by every worker).</param>
/// <param name="TileSize">LR tile size; 0: the model's preferred size (<see cref="TilingOptions.For"/>).</param>
/// <param name="Overlap">Minimum LR overlap; 0: what the model's edge margin needs.</param>
/// <param name="MaxTilesInFlight">Tiles dispatched and not yet in their blocks; 0 derives it from the worker silos.</param>
/// <param name="Retries">How the job, and a client following it, retry (null: <see cref="RetryPolicy.Default"/>).</param>
/// <param name="SwathBlocks">Block columns per swath (<see cref="TilingOptions.SwathBlocks"/>); 0: automatic.</param>
/// <param name="MaxOutputPixels">Output pixels (width × height) a job may write; 0: <see cref="DefaultMaxOutputPixels"/>.</param>
/// <param name="WeightsSha256">The SHA-256 of the model's weights every worker must hold; null when submitting: the
/// coordinating silo's (a submitter may pin one instead).</param>
/// <param name="MaxInconsistency">Fails the job when its output's inconsistency with its input (percent of the scene's
/// range, <see cref="Pipeline.Imaging.Consistency.SceneConsistency.Inconsistency"/>) is over it; the output is then kept
/// as <see cref="OutputSidecars.Rejected"/>, not put in place. Null: report only.</param>
/// <param name="Consistency">Report (measure only) or enforce (back-project every tile onto its input before blending).</param>
/// <param name="UncertaintyDraws">0, or K ≥ 2 noise draws per tile whose per-pixel spread becomes the output's last band
/// (<c>--uncertainty K</c>; the model time is K times).</param>
/// <param name="Batch">The archive run this scene belongs to (<c>sr batch</c>), a label on the silos' scene metrics; null for a single scene.</param>
[GenerateSerializer, Immutable]
public sealed record SceneJobSpec(
    [property: Id(0)] string InputPath,
    [property: Id(1)] string OutputPath,
    [property: Id(2)] double Scale,
    [property: Id(3)] string Model,
    [property: Id(4)] int TileSize = 0,
    [property: Id(5)] int Overlap = 0,
    [property: Id(6)] int BlockSize = 512,
    [property: Id(7)] OutputCompression Compression = OutputCompression.Deflate,
    [property: Id(15)] OutputKind Format = OutputKind.Cog,
    [property: Id(9)] int MaxTilesInFlight = 0,
    [property: Id(14)] RetryPolicy? Retries = null,
    [property: Id(11)] string? Batch = null,
    [property: Id(12)] int SwathBlocks = 0,
    [property: Id(13)] long MaxOutputPixels = 0,
    [property: Id(16)] string? WeightsSha256 = null,
    [property: Id(17)] double? MaxInconsistency = null,
    [property: Id(18)] Pipeline.Imaging.Consistency.ConsistencyMode Consistency = Pipeline.Imaging.Consistency.ConsistencyMode.Report,
    [property: Id(19)] int UncertaintyDraws = 0)
{
    /// <summary>The most noise draws <c>--uncertainty</c> may ask for per tile (each costs a whole model run).</summary>
    public const int MaxUncertaintyDraws = 16;

    /// <summary>Bands the output has beyond the input's: the uncertainty band, when asked for.</summary>
    public int ExtraBands => UncertaintyDraws > 0 ? 1 : 0;

    /// <summary>The output-size ceiling when <see cref="MaxOutputPixels"/> is 0: 10¹² pixels (e.g. 1 000 000²), beyond
    /// which a declared size is taken for a mistake or an attack rather than attempted.</summary>
    public const long DefaultMaxOutputPixels = 1_000_000_000_000;

    public RetryPolicy RetriesOrDefault => Retries ?? RetryPolicy.Default;

    public OutputFormat Output => new(Format, Compression);

    /// <summary>A readable, unique job id: the input's name and the time.</summary>
    public string NewJobId() =>
        $"{Path.GetFileNameWithoutExtension(InputPath)}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Refuses an output larger than the ceiling, naming the input.</summary>
    public void CheckOutputSize(RasterInfo output)
    {
        var ceiling = MaxOutputPixels > 0 ? MaxOutputPixels : DefaultMaxOutputPixels;
        if ((double)output.Width * output.Height > ceiling)
            throw new RasterFormatException(InputPath, FormattableString.Invariant(
                $"the output would be {output.Width}x{output.Height} pixels, over the ceiling of {ceiling:N0} (--max-output-pixels)"));
    }

    /// <summary>The tiling for the model that runs the job (the one the silo loaded) on a scene of <paramref name="bands"/> bands.</summary>
    public TilingOptions TilingFor(ITileUpscaler upscaler, int bands) =>
        (TilingOptions.For(upscaler, Scale, TileSize > 0 ? TileSize : null, Overlap > 0 ? Overlap : null, BlockSize) with { SwathBlocks = SwathBlocks })
        .ForBands(bands);

    /// <summary>The same checks, with the same messages, as the in-process path.</summary>
    /// <exception cref="ArgumentException">A setting no scene could satisfy.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(InputPath) || string.IsNullOrWhiteSpace(OutputPath))
            throw new ArgumentException("a job needs an input and an output path");
        if (!(Path.IsPathFullyQualified(InputPath) || ScenePaths.IsGdalPath(InputPath)) || !Path.IsPathFullyQualified(OutputPath))
            throw new ArgumentException($"paths must be absolute (every silo resolves them): {InputPath}, {OutputPath}");
        if (!ScaleRange.Contains(Scale)) throw new ArgumentException($"{InputPath}: {ScaleRange.Problem(Scale)}");
        if (Path.GetFullPath(InputPath) == Path.GetFullPath(OutputPath))
            throw new ArgumentException($"{OutputPath}: the output would overwrite the input");
        if (TileSize < 0 || Overlap < 0) throw new ArgumentException($"tile size and overlap must not be negative, got {TileSize} and {Overlap}");
        if (MaxOutputPixels < 0) throw new ArgumentException($"the output-pixel ceiling must not be negative, got {MaxOutputPixels}");
        if (SwathBlocks < 0) throw new ArgumentException($"swath width must not be negative, got {SwathBlocks}");
        if (MaxInconsistency is { } bound && !(bound >= 0 && double.IsFinite(bound)))
            throw new ArgumentException($"--max-inconsistency must be a percentage of 0 or more, got {bound}");
        if (MaxInconsistency is not null && Consistency == Pipeline.Imaging.Consistency.ConsistencyMode.Off)
            throw new ArgumentException("--max-inconsistency needs the consistency measured: it cannot go with --consistency off");
        if (UncertaintyDraws != 0 && UncertaintyDraws is < 2 or > MaxUncertaintyDraws)
            throw new ArgumentException($"--uncertainty takes 2 to {MaxUncertaintyDraws} draws, got {UncertaintyDraws}");
        if (MaxTilesInFlight < 0) throw new ArgumentException($"tiles in flight must not be negative, got {MaxTilesInFlight}");
        RetriesOrDefault.Validate();
    }
}
