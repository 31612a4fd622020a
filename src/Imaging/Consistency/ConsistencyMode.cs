namespace Pipeline.Imaging.Consistency;

/// <summary><c>--consistency</c>: measure every output against its input (the default), also make it consistent with it
/// (<see cref="ConsistencyEnforcer"/>), or neither: for a model that is consistent by construction (bicubic), where
/// measuring would cost more than the model.</summary>
public enum ConsistencyMode
{
    Report,
    Enforce,
    Off,
}
