using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;
using MLOps.Build.Manifest;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks.Validate;

public sealed record ValidationSettings(bool UpdateLock, bool ContinuousIntegration)
{
    /// <summary>$GITHUB_STEP_SUMMARY: the Markdown report of every model is appended to the job's summary.</summary>
    public string? StepSummaryPath { get; init; }
}

/// <summary>
/// Decides whether a trained model ships: its gates (absolute, and on change from the accepted model), then the
/// lock file. A passing model is accepted when there is no lock yet (outside CI) or on -p:MLOpsUpdateLock=true;
/// in CI a model that is not the accepted one fails the build.
/// </summary>
public sealed class ModelValidator(ValidationSettings settings, DiagnosticBag diagnostics)
{
    public void Validate(ModelManifest manifest, string artifactsDirectory, string fingerprint)
    {
        var card = ReadCard(Path.Combine(artifactsDirectory, ArtifactNames.ModelCard), manifest);
        if (card is null)
        {
            return;
        }
        var lockPath = ModelLock.PathFor(manifest.Path);
        var accepted = ReadLock(lockPath);
        var comparison = accepted is null ? null : ModelComparison.Read(artifactsDirectory, fingerprint, accepted);
        var gates = new List<GateResult>();
        var passed = GateEvaluator.Evaluate(manifest, card.Metrics, accepted?.Metrics, diagnostics, gates, comparison);
        WriteReport(ValidationReport.Render(manifest.Name, card.Onnx.Sha256, passed, card.Metrics, accepted?.Metrics, gates, ReadSweep(artifactsDirectory), comparison), artifactsDirectory);
        if (!passed)
        {
            return;
        }

        var current = ModelLock.FromCard(manifest.Name, card, fingerprint);
        var lockLocation = FileLocation.File(lockPath);
        if (accepted is not null && accepted.ModelSha256 == current.ModelSha256)
        {
            return;
        }
        if (settings.UpdateLock || (accepted is null && !settings.ContinuousIntegration))
        {
            ArtifactJson.WriteIfChanged(lockPath, current, ArtifactJson.ModelLock);
            diagnostics.Add(D.ModelAccepted, lockLocation,
                $"{manifest.Name}: accepted model {Short(current.ModelSha256)} into '{Path.GetFileName(lockPath)}'{(accepted is null ? " (no lock yet)" : $" (was {Short(accepted.ModelSha256)}{Describe(accepted, current, comparison)})")}; commit it.");
            return;
        }
        if (accepted is null)
        {
            diagnostics.Add(D.NoAcceptedModelInCI, FileLocation.File(manifest.Path),
                $"{manifest.Name} has no accepted model ('{Path.GetFileName(lockPath)}' is missing), and CI builds do not accept models: build it locally and commit the lock file.");
            return;
        }
        var change = Describe(accepted, current, comparison);
        if (settings.ContinuousIntegration)
        {
            diagnostics.Add(D.UnacceptedModelInCI, lockLocation,
                $"{manifest.Name}: the model built here ({Short(current.ModelSha256)}) is not the accepted one ({Short(accepted.ModelSha256)}){change}. Review it and accept it with -p:MLOpsUpdateLock=true, then commit the lock file.");
        }
        else
        {
            diagnostics.Add(D.UnacceptedModel, lockLocation,
                $"{manifest.Name}: the model differs from the accepted one ({Short(accepted.ModelSha256)} → {Short(current.ModelSha256)}){change}; a CI build would fail. Accept it with -p:MLOpsUpdateLock=true.");
        }
    }

    private void WriteReport(string markdown, string artifactsDirectory)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(markdown);
        AtomicFile.WriteIfChanged(Path.Combine(artifactsDirectory, ReportFileName), bytes);
        if (settings.StepSummaryPath is { Length: > 0 } summary)
        {
            File.AppendAllText(summary, markdown);
        }
    }

    public const string ReportFileName = "report.md";

    /// <summary>Each metric's change, with its interval on the same test rows where the models were compared.</summary>
    private static string Describe(ModelLock accepted, ModelLock current, ModelComparison? comparison)
    {
        var deltas = current.Metrics
            .Where(m => accepted.Metrics.ContainsKey(m.Key))
            .Select(m => $"{m.Key} {GateEvaluator.Format(accepted.Metrics[m.Key])} → {GateEvaluator.Format(m.Value)}"
                + (comparison?.Metrics.TryGetValue(m.Key, out var same) == true ? $" [{same.Describe(comparison)} on the same {comparison.Rows} test rows{(same.IsSignificant ? "" : ", within noise")}]" : ""))
            .ToArray();
        return deltas.Length == 0 ? "" : "; " + string.Join(", ", deltas);
    }

    private static string Short(string hash) => hash.Length > 12 ? hash.Substring(0, 12) : hash;

    private ModelLock? ReadLock(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return ArtifactJson.Read(path, ArtifactJson.ModelLock);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            diagnostics.Add(D.UnreadableLock, FileLocation.File(path), $"The lock file cannot be read ({ex.Message}); it is treated as missing and rewritten when a model is accepted.");
            return null;
        }
    }

    /// <summary>The leaderboard of the sweep that chose the model, when one did; a damaged one only leaves it out of the report.</summary>
    private static SweepReport? ReadSweep(string artifactsDirectory) =>
        ArtifactJson.ReadOrNull(Path.Combine(artifactsDirectory, ArtifactNames.SweepReport), ArtifactJson.SweepReport);

    private ModelCard? ReadCard(string path, ModelManifest manifest)
    {
        try
        {
            return ArtifactJson.Read(path, ArtifactJson.ModelCard);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            diagnostics.Add(D.UnreadableModelCard, FileLocation.File(manifest.Path), $"Cannot read the model card of {manifest.Name} ('{path}'): {ex.Message}");
            return null;
        }
    }
}
