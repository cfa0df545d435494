using System.Text.Json;
using MLOps.Build.Artifacts;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>
/// Finished trials by fingerprint: in the model's artifacts folder (so a killed or extended sweep resumes), and in the
/// shared artifact cache when there is one (so another clone or CI job reuses them). Each is one small JSON file,
/// written atomically; a damaged one is ignored and the trial runs again.
/// </summary>
public sealed class TrialStore(string localDirectory, string? sharedDirectory)
{
    public TrialRecord? TryGet(string fingerprint)
    {
        foreach (var path in Paths(fingerprint))
        {
            try
            {
                if (File.Exists(path) && ArtifactJson.Read(path, ArtifactJson.TrialRecord) is { } record && record.Fingerprint == fingerprint)
                {
                    return record;
                }
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                // Damaged or unreadable: the trial runs again and replaces it.
            }
        }
        return null;
    }

    public void Put(TrialRecord record)
    {
        foreach (var path in Paths(record.Fingerprint))
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                ArtifactJson.Write(path, record with { Cached = false }, ArtifactJson.TrialRecord);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A read-only or full shared cache costs a rerun elsewhere, never this build.
            }
        }
    }

    private IEnumerable<string> Paths(string fingerprint)
    {
        yield return Path.Combine(localDirectory, fingerprint + ".json");
        if (!string.IsNullOrEmpty(sharedDirectory))
        {
            yield return Path.Combine(sharedDirectory, fingerprint.Substring(0, 2), fingerprint + ".json");
        }
    }
}
