using Pipeline.Grains.Messages;

namespace Pipeline.Grains.Writing;

/// <summary>
/// The one writer of a job's output file (key: the job id). Each generation is one temporary file; if the
/// activation is lost, its file is gone with it and every call about that generation answers
/// <see cref="BlockWriteOutcome.GenerationLost"/>, so the job starts the next generation from scratch.
/// </summary>
public interface ISceneWriterGrain : IGrainWithStringKey
{
    /// <summary>Starts the generation's temporary file (idempotent); returns its path so the job can delete it
    /// should this activation die with it open.</summary>
    Task<string> Open(WriterSetup setup);

    /// <summary>Places a <see cref="BlockPiece"/> its stitcher encoded for the file's <see cref="TileLayout"/>: its tiles, and
    /// its reduced rest for the overviews and the preview. A piece already written is skipped. Answers
    /// <see cref="BlockWriteOutcome.Written"/> once the whole block is in.</summary>
    Task<BlockWriteOutcome> Write(int generation, int blockIndex, Imaging.GeoTiff.EncodedPiece piece);

    Task<BlockWriteOutcome> Check(int generation, int blockIndex);

    /// <summary>What a stitcher asks first: <see cref="Check"/>'s answer, and how to encode the block for this file.</summary>
    Task<StitchConsultation> Consult(int generation, int blockIndex);

    /// <summary>A tile's consistency sums (its output against its input, over the LR pixels it owns), sent before its
    /// contributions so that every tile of a committed generation has been measured. Ignored for a generation not held.</summary>
    Task Measured(int generation, int tileIndex, Imaging.Consistency.ConsistencySums sums);

    Task<WriterProgress> GetProgress(int generation);

    /// <summary>A PNG thumbnail of the generation's mosaic as written so far (<see cref="MosaicPreview"/>), or null when
    /// this activation does not hold that generation.</summary>
    Task<byte[]?> GetPreview(int generation);

    /// <summary>Finishes the file (overviews included, consistency figures in its metadata) and renames it into place, or
    /// aside when it fails the job's <c>--max-inconsistency</c>; writes the consistency map. Overviews of a large mosaic take a while.</summary>
    [ResponseTimeout("00:30:00")]
    Task<WriterReport> Commit(int generation);

    /// <summary>Deletes the temporary file, if any, and releases the activation.</summary>
    Task Abort();
}
