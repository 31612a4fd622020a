using Pipeline.Grains.Messages;
using Pipeline.Grains.Writing;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Jobs;

/// <summary>
/// What a job's reconciliation finds: asks the writer which blocks its generation's file holds (or whether the file
/// is gone), then the stitchers of the blocks still open which tiles they hold. Blocks a stitcher reports written are
/// written; done tiles an open block's stitcher lacks must be sent again. It changes nothing itself:
/// <see cref="JobRun"/> applies the <see cref="Reconciliation"/>.
/// </summary>
public sealed class Reconciler(IJobCluster cluster)
{
    /// <param name="written">Blocks the manifest already knows to be written.</param>
    /// <param name="inFlight">Tiles sent and not yet collected: their blocks are open too.</param>
    public async Task<Reconciliation> InspectAsync(int generation, TilePlan plan, IndexSet done, IndexSet written, IEnumerable<int> inFlight)
    {
        var writer = await cluster.GetWriterProgress(generation);
        if (!writer.Open) return new Reconciliation(WriterLost: true, [], null, []);
        if (writer.Report is not null) return new Reconciliation(WriterLost: false, writer.WrittenBlocks, writer.Report, []);

        var known = written.Members().Concat(writer.WrittenBlocks);
        var open = OpenBlocks(plan, done.Members().Concat(inFlight), known);
        var held = await Task.WhenAll(open.Select(block => cluster.GetStitcherProgress(generation, block)));
        var nowWritten = new List<int>(writer.WrittenBlocks);
        var redo = new List<int>();
        var chosen = new HashSet<int>();
        for (var i = 0; i < open.Count; i++)
        {
            if (held[i].Written)
            {
                nowWritten.Add(open[i]);
                continue;
            }
            var holds = held[i].Tiles.ToHashSet();
            foreach (var tile in plan.Blocks[open[i]].Contributors)
                if (!holds.Contains(tile) && done.Contains(tile) && chosen.Add(tile)) redo.Add(tile);
        }
        return new Reconciliation(WriterLost: false, nowWritten, null, redo);
    }

    /// <summary>Blocks not known to be written that may hold contributions: those of the given tiles.</summary>
    public static List<int> OpenBlocks(TilePlan plan, IEnumerable<int> tiles, IEnumerable<int> written)
    {
        var blocks = new SortedSet<int>();
        foreach (var tile in tiles) blocks.UnionWith(plan.Tiles[tile].Blocks);
        blocks.ExceptWith(written);
        return [.. blocks];
    }
}

/// <param name="WriterLost">The generation's file is gone: the job starts a new generation.</param>
/// <param name="Written">Blocks found written (by the writer, or by a stitcher that handed its block on).</param>
/// <param name="Report">The writer committed before the job could record it: the job has succeeded.</param>
/// <param name="Redo">Done tiles whose contributions a stitcher lacks, in plan order of discovery.</param>
public sealed record Reconciliation(bool WriterLost, IReadOnlyList<int> Written, WriterReport? Report, IReadOnlyList<int> Redo);
