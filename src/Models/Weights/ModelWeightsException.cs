namespace Pipeline.Models.Weights;

/// <summary>A weights file that cannot be used with the requested model; the message is one line naming the file.</summary>
public sealed class ModelWeightsException(string message, Exception? inner = null) : Exception(message, inner);
