namespace MLOps.Build.Diagnostics;

public sealed record DiagnosticCode(string Id, DiagnosticLevel Severity, string Title)
{
    public const string HelpLinkBase = "https://github.com/mlops-build/mlops-build/blob/main/docs/diagnostics.md#";

    public string HelpLink => HelpLinkBase + Id.ToLowerInvariant();
}
