using System.Text.Json;
using MLOps.Build.Artifacts;

namespace MLOps.Build.Tasks.Drift;

public static class DriftReportFile
{
    /// <summary>
    /// True when drift.json was written for exactly these inputs. The trainer writes the report atomically with
    /// its inputs' fingerprint inside, so a report from a killed run or from older data is never trusted.
    /// </summary>
    public static bool IsCurrent(string path, string driftFingerprint)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            return ArtifactJson.Read(path, ArtifactJson.DriftReport).InputsFingerprint == driftFingerprint;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
