namespace Pipeline.Grains.Stitching;

/// <summary>What became of a contribution sent to a stitching grain.</summary>
[GenerateSerializer]
public enum StitchOutcome
{
    /// <summary>Held (or already held); the block still waits for other tiles.</summary>
    Pending,

    /// <summary>The block is in the output file: this contribution completed it, or it was written before.</summary>
    Written,

    /// <summary>The writer no longer has this generation's file (its silo died): the job must start a new one.</summary>
    WriterLost,
}
