using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MLOps.Build.Diagnostics;
using MLOps.Build.Tasks.Logging;

namespace MLOps.Build.Tasks.Train;

/// <summary>The trainer's output into a task's log: lines at high importance, details at low, diagnostics coded.</summary>
internal sealed class TaskTrainerOutput(TaskLoggingHelper log) : ITrainerOutput
{
    public void Line(string text) => log.LogMessageFromText(text, MessageImportance.High);

    public void Detail(string text) => log.LogMessage(MessageImportance.Low, text);

    public void Diagnostic(MLOpsDiagnostic diagnostic) => log.Log(diagnostic);
}
