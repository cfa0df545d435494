using System.Text.Json;

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
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("inputsFingerprint", out var stored)
                && stored.ValueKind == JsonValueKind.String
                && stored.GetString() == driftFingerprint;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
