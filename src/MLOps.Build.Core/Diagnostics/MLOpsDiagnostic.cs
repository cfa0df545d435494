namespace MLOps.Build.Diagnostics;

public sealed record MLOpsDiagnostic(DiagnosticCode Descriptor, FileLocation Location, string Message)
{
    public string Id => Descriptor.Id;
    public DiagnosticLevel Severity => Descriptor.Severity;

    /// <summary>
    /// The canonical form MSBuild recognises in tool output (<c>path(line,col): error CODE: text</c>),
    /// so a diagnostic printed by the out-of-process trainer surfaces exactly like one logged by a task.
    /// </summary>
    public string ToCanonicalString()
    {
        var category = Severity switch
        {
            DiagnosticLevel.Error => "error",
            DiagnosticLevel.Warning => "warning",
            _ => "message",
        };
        var origin = Location.Line > 0 ? $"{Location.Path}({Location.Line},{Location.Column})" : Location.Path;
        return Severity == DiagnosticLevel.Info
            ? $"{Id}: {Message}"
            : $"{origin}: {category} {Id}: {Message}";
    }

    public override string ToString() => ToCanonicalString();
}
