namespace Pipeline.Grains.Writing;

/// <summary>The writer's answer about one block of one generation.</summary>
[GenerateSerializer]
public enum BlockWriteOutcome
{
    NotWritten,
    Written,

    /// <summary>The writer holds no file for that generation: its activation (and temporary file) was lost.</summary>
    GenerationLost,
}
