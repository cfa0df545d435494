using Microsoft.Build.Framework;
using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Tasks.Drift;
using MLOps.Build.Tasks.Logging;
using MLOps.Build.Tasks.Train;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks;

/// <summary>
/// Compares each model's current data (<c>drift.current</c>) with its training data, out of process, into
/// drift.json, which the drift analyzers read. Skips every model whose report matches its drift fingerprint.
/// The drift itself is reported by the analyzers, so that the IDE and <c>.editorconfig</c> see it too.
/// </summary>
public sealed class CheckDrift : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Resolved models with <c>DriftFingerprint</c> and <c>DriftReportPath</c> metadata.</summary>
    [Required] public ITaskItem[] Models { get; set; } = [];
    [Required] public string TrainerAssembly { get; set; } = "";
    public string? DotnetHost { get; set; }
    public int TimeoutSeconds { get; set; } = 3600;

    public void Cancel() => _cancellation.Cancel();

    public override bool Execute()
    {
        foreach (var model in Models)
        {
            var driftFingerprint = model.GetMetadata("DriftFingerprint");
            if (_cancellation.IsCancellationRequested || string.IsNullOrEmpty(driftFingerprint)
                || DriftReportFile.IsCurrent(model.GetMetadata("DriftReportPath"), driftFingerprint))
            {
                continue;
            }
            var launch = new TrainerLaunch(
                DotnetHost ?? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
                TrainerAssembly, model.ItemSpec, model.GetMetadata("ArtifactsDirectory"), driftFingerprint,
                model.GetMetadata("RepositoryRoot"), TimeSpan.FromSeconds(TimeoutSeconds <= 0 ? 3600 : TimeoutSeconds))
            {
                Command = "drift",
            };
            if (TrainerRunner.Run(launch, new TaskTrainerOutput(Log), _cancellation.Token)
                && !DriftReportFile.IsCurrent(model.GetMetadata("DriftReportPath"), driftFingerprint))
            {
                Log.Log(new MLOpsDiagnostic(D.DriftCheckFailed, FileLocation.File(model.ItemSpec),
                    "The drift check finished without writing a drift report."));
            }
        }
        return !Log.HasLoggedErrors;
    }
}
