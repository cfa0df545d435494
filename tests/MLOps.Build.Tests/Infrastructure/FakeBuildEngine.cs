using System.Collections;
using Microsoft.Build.Framework;

namespace MLOps.Build.Tests.Infrastructure;

public sealed record LoggedDiagnostic(string Severity, string? Code, string? File, int Line, int Column, string Message)
{
    /// <summary>For messages: how important MSBuild was told they are.</summary>
    public MessageImportance Importance { get; init; } = MessageImportance.High;
}

/// <summary>Records what a task logs, so tests can assert exact codes and locations, and when it yields the node.</summary>
public sealed class FakeBuildEngine : IBuildEngine3
{
    public List<LoggedDiagnostic> Logged { get; } = [];

    /// <summary>"yield", "reacquire" and every logged message's text, in order.</summary>
    public List<string> Events { get; } = [];

    public bool IsRunningMultipleNodes => false;

    /// <summary>Forgets what was logged, for a test that runs a task several times.</summary>
    public void Clear()
    {
        Logged.Clear();
        Events.Clear();
    }

    public IEnumerable<LoggedDiagnostic> Errors => Logged.Where(l => l.Severity == "error");
    public IEnumerable<LoggedDiagnostic> Warnings => Logged.Where(l => l.Severity == "warning");
    public IEnumerable<LoggedDiagnostic> Messages => Logged.Where(l => l.Severity == "message");

    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 0;
    public int ColumnNumberOfTaskNode => 0;
    public string ProjectFileOfTaskNode => "test.csproj";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) => false;

    public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject, string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) => false;

    public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) => new(false, []);

    public void Yield() => Events.Add("yield");

    public void Reacquire() => Events.Add("reacquire");

    public void LogCustomEvent(CustomBuildEventArgs e) { }

    public void LogErrorEvent(BuildErrorEventArgs e) =>
        Logged.Add(new("error", e.Code, e.File, e.LineNumber, e.ColumnNumber, e.Message ?? ""));

    public void LogWarningEvent(BuildWarningEventArgs e) =>
        Logged.Add(new("warning", e.Code, e.File, e.LineNumber, e.ColumnNumber, e.Message ?? ""));

    public void LogMessageEvent(BuildMessageEventArgs e)
    {
        Logged.Add(new("message", e.Code, e.File, e.LineNumber, e.ColumnNumber, e.Message ?? "") { Importance = e.Importance });
        Events.Add(e.Message ?? "");
    }
}
