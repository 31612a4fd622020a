using Pipeline.Imaging;

namespace Pipeline.Grains.Messages;

/// <summary>
/// One LR tile to super-resolve: its pixels, the scale, and the HR window (global HR pixel coordinates,
/// see <see cref="ITileUpscaler"/>) the result must cover, packed as <see cref="ResultFormat"/>.
/// Construction refuses a request whose result would not fit in one message, so the caller learns it
/// before the tile is sent rather than from a closed connection.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class TileRequest
{
    public TileRequest(string jobId, int tileIndex, TilePixels lr, double scale, PixelWindow hrWindow, SampleFormat resultFormat)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(lr);
        ArgumentOutOfRangeException.ThrowIfNegative(tileIndex);
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be positive and finite");
        if (hrWindow.IsEmpty) throw new ArgumentException($"HR window {hrWindow} is empty", nameof(hrWindow));
        TilePixels.EnsureFits(hrWindow, lr.Bands, resultFormat, nameof(hrWindow));
        JobId = jobId;
        TileIndex = tileIndex;
        Lr = lr;
        Scale = scale;
        HrWindow = hrWindow;
        ResultFormat = resultFormat;
    }

    /// <summary>The scene job the tile belongs to (for logs and for routing the result).</summary>
    [Id(0)] public string JobId { get; }

    /// <summary>The tile's index in the job's tile plan.</summary>
    [Id(1)] public int TileIndex { get; }

    [Id(2)] public TilePixels Lr { get; }
    [Id(3)] public double Scale { get; }
    [Id(4)] public PixelWindow HrWindow { get; }
    [Id(5)] public SampleFormat ResultFormat { get; }
}
