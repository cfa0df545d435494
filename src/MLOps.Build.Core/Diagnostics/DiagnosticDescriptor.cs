namespace MLOps.Build.Diagnostics;

public sealed record DiagnosticDescriptor(string Id, DiagnosticSeverity Severity, string Title)
{
    public const string HelpLinkBase = "https://github.com/mlops-build/mlops-build/blob/main/docs/diagnostics.md#";

    public string HelpLink => HelpLinkBase + Id.ToLowerInvariant();
}
