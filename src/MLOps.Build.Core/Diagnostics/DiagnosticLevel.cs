namespace MLOps.Build.Diagnostics;

public enum DiagnosticLevel
{
    /// <summary>A high-importance build message that still carries a code.</summary>
    Info,
    Warning,
    Error,
}
