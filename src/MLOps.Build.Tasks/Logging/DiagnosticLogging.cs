using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MLOps.Build.Diagnostics;

namespace MLOps.Build.Tasks.Logging;

internal static class DiagnosticLogging
{
    public static void Log(this TaskLoggingHelper log, MLOpsDiagnostic diagnostic)
    {
        var location = diagnostic.Location;
        switch (diagnostic.Severity)
        {
            case DiagnosticLevel.Error:
                log.LogError(null, diagnostic.Id, null, diagnostic.Descriptor.HelpLink, location.Path,
                    location.Line, location.Column, 0, 0, diagnostic.Message);
                break;
            case DiagnosticLevel.Warning:
                log.LogWarning(null, diagnostic.Id, null, diagnostic.Descriptor.HelpLink, location.Path,
                    location.Line, location.Column, 0, 0, diagnostic.Message);
                break;
            default:
                log.LogMessage(null, diagnostic.Id, null, location.Path, location.Line, location.Column, 0, 0,
                    MessageImportance.High, diagnostic.Message);
                break;
        }
    }

    public static void Log(this TaskLoggingHelper log, DiagnosticBag diagnostics)
    {
        foreach (var diagnostic in diagnostics.Items)
        {
            log.Log(diagnostic);
        }
    }
}
