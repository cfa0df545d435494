using System.Text;
using System.Text.Json;
using Microsoft.Build.Utilities;
using MLOps.Build.Artifacts;
using MLOps.Build.Diagnostics;
using MLOps.Build.IO;
using MLOps.Build.Reporting;
using MLOps.Build.Tasks.Logging;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Tasks.Report;

/// <summary>Where one model's artifacts are; a path that does not exist (no drift check, no sweep) is skipped.</summary>
public sealed record ReportSource(string ModelCardPath, string LockPath, string DriftReportPath, string SweepReportPath, string ManifestPath);

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
                models.Add(new ReportModel(
                    ArtifactJson.Read(source.ModelCardPath, ArtifactJson.ModelCard),
                    Optional(source.LockPath, ArtifactJson.ModelLock),
                    Optional(source.DriftReportPath, ArtifactJson.DriftReport),
                    Optional(source.SweepReportPath, ArtifactJson.SweepReport)));
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
            AtomicFile.WriteAllBytes(reportPath, bytes);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Log(new MLOpsDiagnostic(D.ReportNotWritten, FileLocation.File(reportPath), $"The report was not written: {ex.Message}"));
            return false;
        }
    }

    private static T? Optional<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class =>
        !string.IsNullOrEmpty(path) && File.Exists(path) ? ArtifactJson.Read(path, type) : null;
}
