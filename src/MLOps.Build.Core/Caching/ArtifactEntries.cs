using MLOps.Build.IO;

namespace MLOps.Build.Caching;

/// <summary>
/// A trained model's artifacts as a store entry keyed by its fingerprint: the files <see cref="ArtifactNames.Cached"/>
/// names, restored into the artifacts folder with the fingerprint stamp written last (so a build killed half-way
/// trusts nothing it restored), and published from it. The same for every store, local or remote.
/// </summary>
public static class ArtifactEntries
{
    /// <summary>
    /// Restores the entry of <paramref name="fingerprint"/> into <paramref name="artifactsDirectory"/>. An artifacts
    /// folder that cannot be written is <see cref="StoreResult.Missing"/> with the problem: the entry stays good, and
    /// the training that follows reports the folder.
    /// </summary>
    public static StoreResult Restore(IEntryStore store, string fingerprint, string artifactsDirectory, out string? problem)
    {
        var status = store.TryGet(fingerprint, ArtifactNames.Cached, out var contents, out problem);
        if (status != StoreResult.Done)
        {
            return status;
        }
        try
        {
            Directory.CreateDirectory(artifactsDirectory);
            foreach (var pair in contents!)
            {
                AtomicFile.WriteAllBytes(Path.Combine(artifactsDirectory, pair.Key), pair.Value);
            }
            AtomicFile.WriteAllBytes(Path.Combine(artifactsDirectory, ArtifactNames.Fingerprint), System.Text.Encoding.UTF8.GetBytes(fingerprint + "\n"));
            return StoreResult.Done;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
            return StoreResult.Missing;
        }
    }

    /// <summary>Publishes complete artifacts; artifacts that cannot be read are <see cref="StoreResult.Missing"/> with the problem.</summary>
    public static StoreResult Publish(IEntryStore store, string fingerprint, string artifactsDirectory, out string? problem)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in ArtifactNames.Cached)
        {
            try
            {
                contents[name] = File.ReadAllBytes(Path.Combine(artifactsDirectory, name));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problem = ex.Message;
                return StoreResult.Missing;
            }
        }
        return store.TryPut(fingerprint, contents, out problem);
    }
}
