using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MLOps.Build.Diagnostics;
using MLOps.Build.Progress;
using MLOps.Build.Tasks.Logging;

namespace MLOps.Build.Tasks.Train;

/// <summary>The trainer's output into a task's log: lines at high importance, details at low, diagnostics coded.</summary>
internal sealed class TaskTrainerOutput(TaskLoggingHelper log) : ITrainerOutput
{
    public void Line(string text) => log.LogMessageFromText(text, MessageImportance.High);

    public void Detail(string text) => log.LogMessage(MessageImportance.Low, text);

    public void Diagnostic(MLOpsDiagnostic diagnostic) => log.Log(diagnostic);

    /// <summary>Low importance: shown with -v:n and in binlogs and the IDE's build output, never in the way.</summary>
    public void Progress(ProgressLine progress) =>
        log.LogMessage(null, DiagnosticCodes.TrainingProgress.Id, null, null, 0, 0, 0, 0, MessageImportance.Low, progress.Describe());
}
