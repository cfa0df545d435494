using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MLOps.Build.Diagnostics;
using MLOps.Shared;

namespace MLOps.Build.Tasks.Logging;

/// <summary>
/// How every MLOps diagnostic reaches MSBuild. A message may quote data (a column's name, a category), so a control
/// character in it is shown as its code: a newline must not start a log line of its own (GitHub Actions reads a line
/// starting <c>::</c> as a workflow command), nor an escape sequence drive the terminal.
/// </summary>
internal static class DiagnosticLogging
{
    public static void Log(this TaskLoggingHelper log, MLOpsDiagnostic diagnostic)
    {
        var location = diagnostic.Location;
        var message = InvisibleCharacters.Shown(diagnostic.Message);
        switch (diagnostic.Severity)
        {
            case DiagnosticLevel.Error:
                log.LogError(null, diagnostic.Id, null, diagnostic.Descriptor.HelpLink, location.Path,
                    location.Line, location.Column, 0, 0, message);
                break;
            case DiagnosticLevel.Warning:
                log.LogWarning(null, diagnostic.Id, null, diagnostic.Descriptor.HelpLink, location.Path,
                    location.Line, location.Column, 0, 0, message);
                break;
            default:
                log.LogMessage(null, diagnostic.Id, null, location.Path, location.Line, location.Column, 0, 0,
                    MessageImportance.High, message);
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
