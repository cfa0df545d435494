using System.Text.Json;
using MLOps.Build.Artifacts;
using MLOps.Build.Hashing;

namespace MLOps.Build.Caching;

/// <summary>
/// Entries in a folder on this machine, shared by clones, projects and CI jobs (or a restored CI cache): one folder per
/// key, <c>&lt;root&gt;/&lt;key[0..2]&gt;/&lt;key&gt;/</c>, with its files and an <c>entry.json</c> of their SHA-256.
/// An entry is published by renaming a complete temporary folder, so a reader never sees half of one; a damaged entry
/// is discarded when found, so the next writer heals it. The entry list is read and written by the artifacts'
/// source-generated serializer, not by reflection.
/// </summary>
public sealed class FolderEntryStore(string root) : IEntryStore
{
    private const string EntryFile = "entry.json";

    public string Root { get; } = root;

    public string EntryDirectory(string key) => Path.Combine(Root, key.Substring(0, 2), key);

    public StoreResult TryGet(string key, IReadOnlyList<string> names, out IReadOnlyDictionary<string, byte[]>? contents, out string? problem)
    {
        contents = null;
        problem = null;
        var entry = EntryDirectory(key);
        var listPath = Path.Combine(entry, EntryFile);
        if (!File.Exists(listPath))
        {
            return StoreResult.Missing;
        }
        try
        {
            var hashes = ArtifactJson.Deserialize(File.ReadAllBytes(listPath), ArtifactJson.CacheEntry);
            var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var name in names)
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
                found[name] = bytes;
            }
            if (problem is null)
            {
                contents = found;
                return StoreResult.Done;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            problem = ex.Message;
        }
        Discard(entry);
        return StoreResult.Damaged;
    }

    /// <summary><see cref="StoreResult.Done"/> when this call published the entry, <see cref="StoreResult.Missing"/> when one was already there.</summary>
    public StoreResult TryPut(string key, IReadOnlyDictionary<string, byte[]> contents, out string? problem)
    {
        problem = null;
        var entry = EntryDirectory(key);
        if (File.Exists(Path.Combine(entry, EntryFile)))
        {
            return StoreResult.Missing;
        }
        var staging = entry + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        try
        {
            Directory.CreateDirectory(staging);
            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in contents)
            {
                File.WriteAllBytes(Path.Combine(staging, pair.Key), pair.Value);
                hashes[pair.Key] = FileHash.Sha256(pair.Value);
            }
            File.WriteAllBytes(Path.Combine(staging, EntryFile), ArtifactJson.Serialize(hashes, ArtifactJson.CacheEntry));
            if (Directory.Exists(entry))
            {
                if (File.Exists(Path.Combine(entry, EntryFile)))
                {
                    // Another writer published it since the check above: its entry stays whole.
                    Discard(staging);
                    return StoreResult.Missing;
                }
                // A damaged leftover without entry.json: renamed aside in one step before it is deleted, so that a
                // concurrent writer's entry moved in meanwhile is never deleted half-way.
                var damaged = entry + ".tmp-damaged-" + Guid.NewGuid().ToString("N").Substring(0, 8);
                try
                {
                    Directory.Move(entry, damaged);
                }
                catch (IOException)
                {
                    // Renamed aside or replaced by another writer first.
                }
                Discard(damaged);
            }
            Directory.Move(staging, entry);
            return StoreResult.Done;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Discard(staging);
            if (File.Exists(Path.Combine(entry, EntryFile)))
            {
                // Another writer published the same entry first.
                return StoreResult.Missing;
            }
            // A read-only or full folder: the caller decides whether that is worth a word.
            problem = ex.Message;
            return StoreResult.Unavailable;
        }
    }

    public void Dispose()
    {
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
