namespace Pipeline.Models.Weights.Interchange;

/// <summary>What <see cref="CheckpointImport"/> wrote: the weights kind and configuration, the file, and notes for the
/// user (which weights were taken, what was left out).</summary>
public sealed record ImportResult(string Source, string Output, string Kind, string Config, IReadOnlyList<string> Notes);
