using Microsoft.Build.Framework;
using MLOps.Build.Diagnostics;
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
public sealed class CheckDrift : TrainerTask
{
    /// <summary>Resolved models with <c>DriftFingerprint</c> and <c>DriftReportPath</c> metadata.</summary>
    [Required] public ITaskItem[] Models { get; set; } = [];

    protected override bool ExecuteCore()
    {
        foreach (var model in Models)
        {
            var driftFingerprint = model.GetMetadata(ModelItemMetadata.DriftFingerprint);
            if (Canceled || string.IsNullOrEmpty(driftFingerprint)
                || DriftReportFile.IsCurrent(model.GetMetadata(ModelItemMetadata.DriftReportPath), driftFingerprint))
            {
                continue;
            }
            if (RunTrainer(model, "drift", driftFingerprint)
                && !DriftReportFile.IsCurrent(model.GetMetadata(ModelItemMetadata.DriftReportPath), driftFingerprint))
            {
                Log.Log(new MLOpsDiagnostic(D.DriftCheckFailed, FileLocation.File(model.ItemSpec),
                    "The drift check finished without writing a drift report."));
            }
        }
        return !Log.HasLoggedErrors;
    }
}
