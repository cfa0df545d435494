using System.Text;
using System.Text.Json;
using Microsoft.Build.Utilities;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;
using MLOps.Build.Manifest;
using MLOps.Build.Reporting;
using MLOps.Build.Tasks.Logging;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks.Report;

/// <summary>Where one model's artifacts are; a path that does not exist (no drift check, no sweep) is skipped.</summary>
public sealed record ReportSource(string ModelCardPath, string LockPath, string DriftReportPath, string SweepReportPath, string ManifestPath)
{
    /// <summary>The model's run history (JSON lines); null: none.</summary>
    public string? RunHistoryPath { get; init; }
}

/// <summary>Reads the artifacts the report shows and writes it when its bytes change. A report never fails a build.</summary>
public static class ReportFile
{
    /// <returns>Whether the file was (re)written.</returns>
    public static bool Write(string project, string reportPath, IReadOnlyList<ReportSource> sources, TaskLoggingHelper log)
    {
        var models = new List<ReportModel>();
        foreach (var source in sources)
        {
            try
            {
                if (!File.Exists(source.ModelCardPath))
                {
                    continue;
                }
                var card = ArtifactJson.Read(source.ModelCardPath, ArtifactJson.ModelCard);
                var accepted = Optional(source.LockPath, ArtifactJson.ModelLock);
                var drift = Optional(source.DriftReportPath, ArtifactJson.DriftReport);
                models.Add(new ReportModel(card, accepted, drift, Optional(source.SweepReportPath, ArtifactJson.SweepReport))
                {
                    Runs = source.RunHistoryPath is { } runs && File.Exists(runs) ? RunHistory.Read(runs) : [],
                    Gates = Gates(source.ManifestPath, card, accepted, drift?.Estimate),
                });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
            {
                log.Log(new MLOpsDiagnostic(D.ReportNotWritten, FileLocation.File(source.ManifestPath), $"The report leaves this model out: {ex.Message}"));
            }
        }
        if (models.Count == 0)
        {
            return false;
        }
        var bytes = Encoding.UTF8.GetBytes(HtmlReport.Write(project, models));
        try
        {
            if (File.Exists(reportPath) && File.ReadAllBytes(reportPath).AsSpan().SequenceEqual(bytes))
            {
                // Same bytes: only the time stamp moves, so the target's Inputs/Outputs check is satisfied next build.
                File.SetLastWriteTimeUtc(reportPath, DateTime.UtcNow);
                return false;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
            AtomicFile.WriteAllBytes(reportPath, bytes);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Log(new MLOpsDiagnostic(D.ReportNotWritten, FileLocation.File(reportPath), $"The report was not written: {ex.Message}"));
            return false;
        }
    }

    /// <summary>
    /// The gates as the validation judges them (one rule: <see cref="Validate.GateEvaluator"/>), then the gates on the
    /// estimate without labels as the drift check judged them (in manifest order in both).
    /// </summary>
    private static IReadOnlyList<GateRow> Gates(string manifestPath, ModelCard card, ModelLock? accepted, EstimateCard? estimate)
    {
        // The validation has reported the manifest's problems already; here they only mean no gate rows.
        var ignored = new DiagnosticBag();
        if (!File.Exists(manifestPath) || ManifestParser.ParseFile(manifestPath, ignored) is not { } manifest)
        {
            return [];
        }
        var results = new List<Validate.GateResult>();
        Validate.GateEvaluator.Evaluate(manifest, card.Metrics, accepted?.Metrics, ignored, results);
        var estimated = manifest.Gates.Where(g => MetricCatalog.IsEstimated(g.Metric)).Select((gate, i) =>
            estimate?.Gates.ElementAtOrDefault(i) is { } judged
                ? new GateRow(gate.Metric, Validate.GateEvaluator.Bounds(gate), estimate.Value, judged.Passed ? "pass" : estimate.Refused is null ? "fail" : "fail (not estimated)", judged.Passed)
                : new GateRow(gate.Metric, Validate.GateEvaluator.Bounds(gate), null, "not judged (no drift check yet)", null));
        return results.Select(r => new GateRow(r.Metric, r.Bounds, r.Value, r.Outcome, r.Outcome == "pass" ? true : r.Outcome == "fail" ? false : null))
            .Concat(estimated).ToArray();
    }

    private static T? Optional<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class =>
        !string.IsNullOrEmpty(path) && File.Exists(path) ? ArtifactJson.Read(path, type) : null;
}
