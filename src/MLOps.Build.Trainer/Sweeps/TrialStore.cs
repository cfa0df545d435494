using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Caching;

namespace MLOps.Build.Trainer.Sweeps;

/// <summary>
/// Finished trials by fingerprint, as entries of one file in each of its stores, nearest first: the model's artifacts
/// folder (so a killed or extended sweep resumes), the shared trial cache folder when there is one (so another clone or
/// CI job on this machine reuses them), and the remote cache when there is one (so CI jobs running shards of one sweep
/// share them). A trial found further away is copied into the nearer stores; a damaged one is ignored and the trial
/// runs again. A store that cannot be written costs a rerun elsewhere, never this build.
/// </summary>
public sealed class TrialStore(IReadOnlyList<IEntryStore> stores)
{
    private const string TrialFile = "trial.json";
    private static readonly string[] TrialFiles = [TrialFile];

    /// <summary>The stores of a sweep writing into <paramref name="artifactsTrials"/>, with the shared folder and remote store when given.</summary>
    public static TrialStore For(string artifactsTrials, string? sharedDirectory, IEntryStore? remote = null)
    {
        var stores = new List<IEntryStore> { new FolderEntryStore(artifactsTrials) };
        if (!string.IsNullOrEmpty(sharedDirectory))
        {
            stores.Add(new FolderEntryStore(sharedDirectory!));
        }
        if (remote is not null)
        {
            stores.Add(remote);
        }
        return new TrialStore(stores);
    }

    public TrialRecord? TryGet(string fingerprint)
    {
        for (var i = 0; i < stores.Count; i++)
        {
            if (stores[i].TryGet(fingerprint, TrialFiles, out var contents, out _) != StoreResult.Done || Parse(contents![TrialFile], fingerprint) is not { } record)
            {
                continue;
            }
            var bytes = contents[TrialFile];
            for (var nearer = 0; nearer < i; nearer++)
            {
                stores[nearer].TryPut(fingerprint, new Dictionary<string, byte[]> { [TrialFile] = bytes }, out _);
            }
            return record;
        }
        return null;
    }

    public void Put(TrialRecord record)
    {
        var contents = new Dictionary<string, byte[]>
        {
            [TrialFile] = System.Text.Encoding.UTF8.GetBytes(ArtifactJson.Line(record with { Cached = false }, ArtifactJson.TrialRecord)),
        };
        foreach (var store in stores)
        {
            store.TryPut(record.Fingerprint, contents, out _);
        }
    }

    private static TrialRecord? Parse(byte[] bytes, string fingerprint)
    {
        try
        {
            return ArtifactJson.Deserialize(bytes, ArtifactJson.TrialRecord) is { } record && record.Fingerprint == fingerprint ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
