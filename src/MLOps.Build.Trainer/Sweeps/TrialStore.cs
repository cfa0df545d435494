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
    private const string RemoteFile = "trial.json";

    /// <summary>The remote cache, consulted after the local and shared folders and written when allowed.</summary>
    public RemoteTrials? Remote { get; init; }

    public TrialRecord? TryGet(string fingerprint)
    {
        if (TryGetLocal(fingerprint) is { } record)
        {
            return record;
        }
        if (Remote?.TryGet(fingerprint, RemoteFile) is not { } bytes)
        {
            return null;
        }
        try
        {
            var remote = JsonSerializer.Deserialize(bytes, ArtifactJson.TrialRecord);
            if (remote?.Fingerprint != fingerprint)
            {
                return null;
            }
            PutLocal(remote);
            return remote;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Put(TrialRecord record)
    {
        PutLocal(record);
        Remote?.Put(record.Fingerprint, RemoteFile, System.Text.Encoding.UTF8.GetBytes(ArtifactJson.Line(record with { Cached = false }, ArtifactJson.TrialRecord)));
    }

    private TrialRecord? TryGetLocal(string fingerprint)
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

    private void PutLocal(TrialRecord record)
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
