using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MLOps.Build.Diagnostics;
using MLOps.Build.Progress;
using MLOps.Build.Tasks.Logging;
using MLOps.Shared;

namespace MLOps.Build.Tasks.Train;

/// <summary>The trainer's output into a task's log: lines at high importance, details at low, diagnostics coded.</summary>
internal sealed class TaskTrainerOutput(TaskLoggingHelper log) : ITrainerOutput
{
    /// <summary>
    /// Logged as text, never parsed: a line shaped like <c>file: error CODE: …</c> is still only a message, and a control
    /// character in it (from a native library, or data) is shown as its code.
    /// </summary>
    public void Line(string text) => log.LogMessage(MessageImportance.High, "{0}", InvisibleCharacters.Shown(text));

    public void Detail(string text) => log.LogMessage(MessageImportance.Low, "{0}", InvisibleCharacters.Shown(text));

    /// <summary>Logged like every task's own diagnostics (<see cref="DiagnosticLogging"/>): coded, at their location, errors and warnings with their help link.</summary>
    public void Diagnostic(MLOpsDiagnostic diagnostic) => log.Log(diagnostic);

    /// <summary>Low importance: shown with -v:n and in binlogs and the IDE's build output, never in the way.</summary>
    public void Progress(ProgressLine progress) =>
        log.LogMessage(null, DiagnosticCodes.TrainingProgress.Id, null, null, 0, 0, 0, 0, MessageImportance.Low, progress.Describe());
}
