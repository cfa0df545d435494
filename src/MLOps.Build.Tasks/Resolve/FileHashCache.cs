using System.Text.Json;
using MLOps.Build.Hashing;
using MLOps.Build.IO;

namespace MLOps.Build.Tasks.Resolve;

public interface IFileHashCache
{
    string GetSha256(string fullPath);
}

/// <summary>
/// Remembers each data file's hash with its size and last write time, so that a no-op build does not read
/// large data files again. A file whose size or timestamp changed is hashed anew; touching a file without
/// changing its bytes costs one hash and changes nothing else.
/// </summary>
public sealed class FileHashCache : IFileHashCache
{
    private readonly string? _path;
    private readonly Dictionary<string, Entry> _entries;
    private bool _dirty;

    public FileHashCache(string? path)
    {
        _path = path;
        _entries = Load(path);
    }

    public string GetSha256(string fullPath)
    {
        var info = new FileInfo(fullPath);
        var ticks = info.LastWriteTimeUtc.Ticks;
        if (_entries.TryGetValue(fullPath, out var entry) && entry.Length == info.Length && entry.LastWriteTicks == ticks)
        {
            return entry.Sha256;
        }
        var sha = FileHash.Sha256(fullPath);
        _entries[fullPath] = new Entry { Length = info.Length, LastWriteTicks = ticks, Sha256 = sha };
        _dirty = true;
        return sha;
    }

    public void Save()
    {
        if (!_dirty || _path is null)
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        AtomicFile.WriteAllBytes(_path, JsonSerializer.SerializeToUtf8Bytes(_entries));
        _dirty = false;
    }

    private static Dictionary<string, Entry> Load(string? path)
    {
        try
        {
            if (path is not null && File.Exists(path))
            {
                return JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllBytes(path)) ?? [];
            }
        }
        catch (JsonException)
        {
            // A damaged cache only costs a rehash.
        }
        return [];
    }

    public sealed class Entry
    {
        public long Length { get; set; }
        public long LastWriteTicks { get; set; }
        public string Sha256 { get; set; } = "";
    }
}
