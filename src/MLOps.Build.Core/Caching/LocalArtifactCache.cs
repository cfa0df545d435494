using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Hashing;
using MLOps.Build.IO;

namespace MLOps.Build.Caching;

public enum CacheRestore
{
    Missing,
    Restored,
    Corrupt,
}

/// <summary>
/// A folder of trained artifacts keyed by fingerprint, shared by clones, projects and CI jobs on one machine
/// (or a restored CI cache). Each entry lists its files' SHA-256 and is verified before use; entries are
/// published by renaming a complete temporary folder, so a reader never sees half of one. Beside
/// <see cref="RemoteArtifactCache"/> (the same entries over HTTP, Bazel's layout), in Core with it; the entry list is
/// read and written by the artifacts' source-generated serializer, not by reflection.
/// </summary>
public sealed class LocalArtifactCache(string root)
{
    private const string EntryFile = "entry.json";

    public string Root { get; } = root;

    public string EntryDirectory(string fingerprint) => Path.Combine(Root, fingerprint.Substring(0, 2), fingerprint);

    /// <summary>Copies a verified entry into <paramref name="artifactsDirectory"/>, fingerprint stamp last.</summary>
    public CacheRestore TryRestore(string fingerprint, string artifactsDirectory, out string? problem)
    {
        problem = null;
        var entry = EntryDirectory(fingerprint);
        var manifestPath = Path.Combine(entry, EntryFile);
        if (!File.Exists(manifestPath))
        {
            return CacheRestore.Missing;
        }
        try
        {
            var hashes = ArtifactJson.Deserialize(File.ReadAllBytes(manifestPath), ArtifactJson.CacheEntry);
            var contents = new Dictionary<string, byte[]>();
            foreach (var name in ArtifactNames.Cached)
            {
                var path = Path.Combine(entry, name);
                if (!File.Exists(path) || !hashes.TryGetValue(name, out var expected))
                {
                    problem = $"'{name}' is missing";
                    break;
                }
                var bytes = File.ReadAllBytes(path);
                if (FileHash.Sha256(bytes) != expected)
                {
                    problem = $"'{name}' does not match its recorded SHA-256";
                    break;
                }
                contents[name] = bytes;
            }
            if (problem is null)
            {
                Directory.CreateDirectory(artifactsDirectory);
                foreach (var pair in contents)
                {
                    AtomicFile.WriteAllBytes(Path.Combine(artifactsDirectory, pair.Key), pair.Value);
                }
                AtomicFile.WriteAllBytes(Path.Combine(artifactsDirectory, ArtifactNames.Fingerprint), System.Text.Encoding.UTF8.GetBytes(fingerprint + "\n"));
                return CacheRestore.Restored;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            problem = ex.Message;
        }
        Discard(entry);
        return CacheRestore.Corrupt;
    }

    /// <summary>Publishes complete artifacts; a concurrent publisher of the same fingerprint simply wins.</summary>
    public bool TryPublish(string fingerprint, string artifactsDirectory)
    {
        var entry = EntryDirectory(fingerprint);
        if (File.Exists(Path.Combine(entry, EntryFile)))
        {
            return false;
        }
        var staging = entry + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        try
        {
            Directory.CreateDirectory(staging);
            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in ArtifactNames.Cached)
            {
                var bytes = File.ReadAllBytes(Path.Combine(artifactsDirectory, name));
                File.WriteAllBytes(Path.Combine(staging, name), bytes);
                hashes[name] = FileHash.Sha256(bytes);
            }
            File.WriteAllBytes(Path.Combine(staging, EntryFile), ArtifactJson.Serialize(hashes, ArtifactJson.CacheEntry));
            if (Directory.Exists(entry))
            {
                if (File.Exists(Path.Combine(entry, EntryFile)))
                {
                    // Another build published it since the check above: its entry stays whole.
                    Discard(staging);
                    return false;
                }
                // A damaged leftover without entry.json: renamed aside in one step before it is deleted, so that a
                // concurrent publisher's entry moved in meanwhile is never deleted half-way.
                var damaged = entry + ".tmp-damaged-" + Guid.NewGuid().ToString("N").Substring(0, 8);
                try
                {
                    Directory.Move(entry, damaged);
                }
                catch (IOException)
                {
                    // Renamed aside or replaced by another publisher first.
                }
                Discard(damaged);
            }
            Directory.Move(staging, entry);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another build published the same entry first, or the cache is read-only: both are fine.
            Discard(staging);
            return false;
        }
    }

    private static void Discard(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
