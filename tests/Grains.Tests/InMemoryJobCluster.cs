using Pipeline.Grains.Jobs;
using Pipeline.Grains.Messages;
using Pipeline.Grains.Planning;
using Pipeline.Grains.Stitching;
using Pipeline.Grains.Writing;

namespace Pipeline.Grains.Tests;

/// <summary>
/// The cluster a <see cref="JobRun"/> sees, in memory and by the same rules as the grains: a stitcher holds the tiles
/// delivered to its block and writes the block once every contributor is in; the writer holds one generation's blocks
/// until it is lost or aborted. No pixels move past the tile read: the state machine is what is under test. Faults are
/// injected through <see cref="BeforeContribute"/>, <see cref="LoseWriter"/> and <see cref="LoseStitchers"/>.
/// </summary>
sealed class InMemoryJobCluster(TilePlanCache plans, string temporaryFolder) : IJobCluster
{
    readonly object gate = new();
    readonly Dictionary<(int Generation, int Block), HashSet<int>> stitchers = [];
    readonly HashSet<int> writtenBlocks = [];
    int writerGeneration;
    bool writerOpen;
    WriterReport? committed;

    /// <summary>Runs before a tile is delivered (attempt count per tile, starting at 1); may throw or wait.</summary>
    public Func<TileTask, int, Task> BeforeContribute { get; set; } = (_, _) => Task.CompletedTask;

    public int WorkerSlots { get; set; } = 4;
    public int DeadSilos { get; private set; }
    public Dictionary<int, int> Attempts { get; } = [];
    public List<(int Generation, int Tile)> Delivered { get; } = [];
    public List<int> Generations { get; } = [];
    public List<int> Commits { get; } = [];
    public List<int> Discarded { get; } = [];
    public bool Aborted { get; private set; }
    public int Saves { get; private set; }
    public bool KeptAlive { get; private set; }
    public bool Released { get; private set; }

    public Task<string> OpenWriter(WriterSetup setup)
    {
        lock (gate)
        {
            (writerGeneration, writerOpen, committed) = (setup.Generation, true, null);
            writtenBlocks.Clear();
            Generations.Add(setup.Generation);
        }
        return Task.FromResult(Path.Combine(temporaryFolder, $"out.partial-{setup.Generation}"));
    }

    public Task<WriterProgress> GetWriterProgress(int generation)
    {
        lock (gate)
            return Task.FromResult(Holds(generation) ? new WriterProgress(true, [.. writtenBlocks], committed) : new WriterProgress(false, [], null));
    }

    public Task<WriterReport> Commit(int generation)
    {
        lock (gate)
        {
            if (!Holds(generation)) throw new InvalidOperationException($"generation {generation} was lost");
            Commits.Add(generation);
            committed ??= new WriterReport(writtenBlocks.Count, writtenBlocks.Count, 0);
            return Task.FromResult(committed);
        }
    }

    public Task AbortWriter()
    {
        lock (gate) (Aborted, writerOpen) = (true, false);
        return Task.CompletedTask;
    }

    public async Task<TileOutcome> Contribute(TileTask task, CancellationToken cancellation)
    {
        int attempt;
        lock (gate) attempt = Attempts[task.TileIndex] = Attempts.GetValueOrDefault(task.TileIndex) + 1;
        // As an Orleans call does, a cancelled one returns at once, whatever the worker is still doing.
        await BeforeContribute(task, attempt).WaitAsync(cancellation);
        var plan = plans.Get(task.Context.Plan);
        var generation = task.Context.Generation;
        lock (gate)
        {
            Delivered.Add((generation, task.TileIndex));
            if (!Holds(generation)) return Outcome(task, [], writerLost: true);
            var written = new List<int>();
            foreach (var block in plan.Tiles[task.TileIndex].Blocks)
            {
                var held = Stitcher(generation, block);
                held.Add(task.TileIndex);
                if (writtenBlocks.Contains(block) || plan.Blocks[block].Contributors.All(held.Contains))
                {
                    writtenBlocks.Add(block);
                    written.Add(block);
                }
            }
            return Outcome(task, [.. written], writerLost: false);
        }
    }

    public Task<StitchProgress> GetStitcherProgress(int generation, int block)
    {
        lock (gate)
            return Task.FromResult(new StitchProgress(writtenBlocks.Contains(block), [.. Stitcher(generation, block)]));
    }

    public Task DiscardStitcher(int generation, int block)
    {
        lock (gate)
        {
            Discarded.Add(block);
            stitchers.Remove((generation, block));
        }
        return Task.CompletedTask;
    }

    public Task SaveAsync()
    {
        lock (gate) Saves++;
        return Task.CompletedTask;
    }

    public void KeepAlive() => KeptAlive = true;

    public Task ReleaseKeepAliveAsync()
    {
        Released = true;
        return Task.CompletedTask;
    }

    /// <summary>The writer's silo died: its file went with it.</summary>
    public void LoseWriter()
    {
        lock (gate) writerOpen = false;
    }

    /// <summary>A coordinator silo died: every stitcher's unwritten contributions went with it.</summary>
    public void LoseStitchers()
    {
        lock (gate)
        {
            stitchers.Clear();
            DeadSilos++;
        }
    }

    bool Holds(int generation) => writerOpen && generation == writerGeneration;

    HashSet<int> Stitcher(int generation, int block) =>
        stitchers.TryGetValue((generation, block), out var held) ? held : stitchers[(generation, block)] = [];

    static TileOutcome Outcome(TileTask task, int[] written, bool writerLost) => new(task.TileIndex, written, writerLost, 0, SiloAddress.Zero);
}
