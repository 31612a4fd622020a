using Pipeline.Grains.Messages;
using Pipeline.Grains.Planning;
using Pipeline.Grains.Writing;

namespace Pipeline.Grains.Jobs;

/// <summary>
/// The persisted state of a scene job: enough to resume it on any silo after the one running it died. Done tiles
/// and written blocks may lag reality by one checkpoint; resuming re-sends the missing tiles, which is harmless
/// because stitchers ignore contributions they hold and blocks already written.
/// </summary>
[GenerateSerializer]
public sealed class SceneJobManifest
{
    [Id(0)] public SceneJobSpec? Spec { get; set; }
    [Id(1)] public JobState State { get; set; }
    [Id(2)] public string? Error { get; set; }

    /// <summary>Set once the input header has been read and the scene planned.</summary>
    [Id(3)] public PlanParameters? Plan { get; set; }
    [Id(4)] public int Bands { get; set; }
    [Id(5)] public float Nodata { get; set; }

    /// <summary>"W×H, n band(s) type", for the final summary.</summary>
    [Id(6)] public string? Output { get; set; }
    [Id(7)] public double OverlapOvercompute { get; set; }

    [Id(8)] public IndexSet DoneTiles { get; set; } = new();
    [Id(9)] public IndexSet WrittenBlocks { get; set; } = new();

    /// <summary>Current output file attempt, and its temporary path (deleted should its writer die).</summary>
    [Id(10)] public int Generation { get; set; }
    [Id(11)] public string? TemporaryPath { get; set; }

    [Id(12)] public DateTime SubmittedAt { get; set; }
    [Id(13)] public DateTime? FinishedAt { get; set; }
    [Id(14)] public int TileFailures { get; set; }
    [Id(15)] public int TilesRecomputed { get; set; }
    [Id(16)] public WriterReport? Writer { get; set; }

    /// <summary>The scene's black and white levels (<see cref="Imaging.Rasters.ValueRange"/>), measured when it is planned for a
    /// model that needs them (0, 0 otherwise).</summary>
    [Id(17)] public double Black { get; set; }
    [Id(18)] public double White { get; set; }

    /// <summary>Per tile, how many worker processes died while running it (see <see cref="RetryPolicy.WorkerCrashes"/>).</summary>
    [Id(19)] public Dictionary<int, int> WorkerCrashes { get; set; } = [];
}
