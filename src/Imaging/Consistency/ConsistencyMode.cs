namespace Pipeline.Imaging.Consistency;

/// <summary><c>--consistency</c>: measure every output against its input (the default), or also make it consistent with it
/// (<see cref="ConsistencyEnforcer"/>).</summary>
public enum ConsistencyMode
{
    Report,
    Enforce,
}
